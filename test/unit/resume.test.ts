import { describe, expect, it } from "vitest";
import { codeToken, continuationText, demographicSentence, renderPrompt, renderResume } from "../../core/resume.ts";
import { LabelSet } from "../../core/taxonomy.ts";

const nlswork = LabelSet.of("nlswork");
const occ = LabelSet.of("occ1990dd", ["EDU", "UNEMP", "NILF"]);

describe("resume text", () => {
  it("renders the paper's layout with titles (golden)", () => {
    const text = renderResume(
      "nlswork",
      {
        person: { birth_year: 1952, sex: "female", race: "black", education: "high school", region: "south" },
        history: [
          { year: 1978, occupation: "3" },
          { year: 1980, occupation: "4" },
          { year: 1983, occupation: "4" },
        ],
      },
      nlswork,
    );
    expect(text).toBe(
      [
        "Resume from nlswork",
        "A female black worker with a high school education, residing in the south region.",
        "Born in 1952.",
        "1978: Sales",
        "1980: Clerical/unskilled",
        "1983: Clerical/unskilled",
        "<END>",
        "",
      ].join("\n"),
    );
  });

  it("renders opaque code tokens for the titles-vs-codes comparison (golden)", () => {
    const text = renderResume(
      "synthetic",
      {
        person: { birth_year: 1970, sex: "male", race: "hispanic", education: "bachelor's degree", region: "west" },
        history: [
          { year: 1988, occupation: "EDU" },
          { year: 1992, occupation: "22" },
          { year: 1993, occupation: "NILF" },
        ],
      },
      occ,
      { rendering: "codes" },
    );
    expect(text).toBe(
      [
        "Resume from synthetic",
        "A male hispanic worker with a bachelor's degree, residing in the west region.",
        "Born in 1970.",
        "1988: <state:EDU>",
        "1992: <occ1990dd:22>",
        "1993: <state:NILF>",
        "<END>",
        "",
      ].join("\n"),
    );
    expect(codeToken(occ, "4")).toBe("<occ1990dd:4>");
  });

  it("titles special states in English and leaves the end marker off a prompt", () => {
    const text = renderResume("synthetic", { person: {}, history: [{ year: 2001, occupation: "UNEMP" }, { year: 2002, occupation: "EDU" }] }, occ, {
      complete: false,
    });
    expect(text).toBe("Resume from synthetic\nA worker.\n2001: Unemployed\n2002: In education\n");
  });

  it("leaves unknown demographics out instead of guessing", () => {
    expect(demographicSentence({})).toBe("A worker.");
    expect(demographicSentence({ race: "white" })).toBe("A white worker.");
    expect(demographicSentence({ region: "non-south" })).toBe("A worker residing outside the south region.");
    expect(demographicSentence({ sex: "female", education: "graduate degree" })).toBe("A female worker with a graduate degree.");
  });

  it("is deterministic and has one line per observed year, gaps kept", () => {
    const career = { person: { birth_year: 1950 }, history: [{ year: 1970, occupation: "1" }, { year: 1975, occupation: "2" }] };
    const a = renderResume("nlswork", career, nlswork);
    expect(renderResume("nlswork", structuredClone(career), nlswork)).toBe(a);
    expect(a.split("\n").filter((l) => /^\d{4}: /.test(l))).toEqual(["1970: Professional/technical", "1975: Managers/admin"]);
  });

  it("states education by year after the year's line, only when it changes, so a prompt never shows what follows", () => {
    const career = {
      person: { sex: "male" as const },
      history: [
        { year: 1982, occupation: "EDU", education: "high school" as const },
        { year: 1983, occupation: "EDU", education: "high school" as const },
        { year: 1984, occupation: "4", education: "some college" as const },
      ],
    };
    const states = LabelSet.of("nlswork", ["EDU"]);
    const text = renderResume("nlsy79", career, states);
    expect(text.split("\n").slice(2)).toEqual([
      "1982: In education",
      "Education: high school.",
      "1983: In education",
      "1984: Clerical/unskilled",
      "Education: some college.",
      "<END>",
      "",
    ]);
    const prompt = renderPrompt("nlsy79", { ...career, history: career.history.slice(0, 2) }, states, 1984);
    expect(prompt + continuationText(states, "4")).toBe(text.slice(0, text.indexOf("Education: some college.")));
  });

  it("refuses a code outside the label set", () => {
    expect(() => renderResume("nlswork", { person: {}, history: [{ year: 1970, occupation: "99" }] }, nlswork)).toThrow(/not in label set/);
  });
});

describe("prompt and continuation", () => {
  it("a prompt plus the continuation of the true next state is the resume's next line, byte for byte", () => {
    const person = { birth_year: 1952, sex: "female" as const };
    const history = [
      { year: 1978, occupation: "3" },
      { year: 1980, occupation: "4" },
    ];
    const full = renderResume("nlswork", { person, history }, nlswork, { complete: false });
    const prompt = renderPrompt("nlswork", { person, history: history.slice(0, 1) }, nlswork, 1980);
    expect(prompt.endsWith("1978: Sales\n1980:")).toBe(true);
    expect(prompt + continuationText(nlswork, "4")).toBe(full);
    expect(continuationText(occ, "NILF", "codes")).toBe(" <state:NILF>\n");
  });
});
