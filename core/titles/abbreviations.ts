// The word lists of title normalisation: abbreviations people write in job titles, the words that say
// how or when a job is worked rather than what it is, and English function words. Applied to the indexed
// titles and to queries alike, so both sides of a match see the same words.

/** Multi-character symbols and phrases rewritten before punctuation is stripped (lower-case input). */
export const SYMBOLS: readonly (readonly [RegExp, string])[] = [
  [/c\+\+/g, " cplusplus "],
  [/c#/g, " csharp "],
  [/\.net\b/g, " dotnet "],
  [/\bnode\.js\b/g, " nodejs "],
  [/\bl\s*&\s*d\b/g, " labor delivery "],
  [/\br\s*&\s*d\b/g, " research development "],
  [/\bm\s*&\s*a\b/g, " mergers acquisitions "],
  [/\ba\/p\b/g, " accounts payable "],
  [/\ba\/r\b/g, " accounts receivable "],
  [/\bmed[\s/-]*surg\b/g, " medical surgical "],
  [/\bw\//g, " with "],
  [/\bx[\s-]*ray/g, " xray"],
  [/&/g, " and "],
  [/\be-?commerce\b/g, " ecommerce "],
  [/\bfull[\s-]*stack\b/g, " fullstack "],
  [/\bfront[\s-]*end\b/g, " frontend "],
  [/\bback[\s-]*end\b/g, " backend "],
  [/\bdev[\s-]*ops\b/g, " devops "],
  [/\bpart[\s-]*time\b/g, " "],
  [/\bfull[\s-]*time\b/g, " "],
  [/\bper[\s-]*diem\b/g, " "],
  [/\bon[\s-]*call\b/g, " "],
  [/\bsign[\s-]*on[\s-]*bonus\b/g, " "],
  [/\bentry[\s-]*level\b/g, " "],
  [/\bwork[\s-]*from[\s-]*home\b/g, " "],
];

/**
 * Whole-word abbreviations -> their expansion (one or more words). Only unambiguous or overwhelmingly
 * common readings in job titles; `admin` and `tech` depend on the next word (see CONTEXTUAL).
 */
export const ABBREVIATIONS: ReadonlyMap<string, string> = new Map(Object.entries({
  sr: "senior", snr: "senior", jr: "junior", jnr: "junior",
  eng: "engineer", engr: "engineer", engg: "engineering",
  mgr: "manager", mngr: "manager", mgmt: "management", mgt: "management",
  asst: "assistant", assist: "assistant", assoc: "associate",
  rn: "registered nurse", lpn: "licensed practical nurse", lvn: "licensed vocational nurse",
  cna: "certified nursing assistant", np: "nurse practitioner", crna: "nurse anesthetist",
  emt: "emergency medical technician", hha: "home health aide", pca: "personal care aide",
  pt: "physical therapist", pta: "physical therapist assistant", ot: "occupational therapist",
  cota: "occupational therapy assistant", slp: "speech language pathologist", md: "physician",
  dds: "dentist", rph: "pharmacist", cpht: "pharmacy technician", cma: "certified medical assistant",
  icu: "intensive care unit", nicu: "neonatal intensive care unit", picu: "pediatric intensive care unit",
  ccu: "critical care unit", er: "emergency room",
  dev: "developer", devs: "developers", swe: "software engineer", sde: "software development engineer",
  sre: "site reliability engineer", dba: "database administrator", sysadmin: "system administrator",
  ops: "operations", svc: "service", svcs: "services", serv: "service",
  acct: "account", accts: "accounts", acctg: "accounting",
  rep: "representative", reps: "representatives", csr: "customer service representative",
  coord: "coordinator", coordr: "coordinator", spec: "specialist", spclst: "specialist",
  supv: "supervisor", supvr: "supervisor", supvsr: "supervisor", sup: "supervisor", supt: "superintendent",
  dir: "director", vp: "vice president", svp: "senior vice president", evp: "executive vice president",
  avp: "assistant vice president", ceo: "chief executive officer", cfo: "chief financial officer",
  coo: "chief operating officer", cto: "chief technology officer", cio: "chief information officer",
  cmo: "chief marketing officer", gm: "general manager", hr: "human resources",
  it: "information technology", qa: "quality assurance", qc: "quality control",
  cpa: "certified public accountant", exec: "executive", execs: "executives",
  mktg: "marketing", mkt: "marketing", mfg: "manufacturing", prod: "production",
  maint: "maintenance", equip: "equipment", elec: "electrical", mech: "mechanic",
  whse: "warehouse", wh: "warehouse", drvr: "driver", oper: "operator", op: "operator", opr: "operator",
  cdl: "truck", techs: "technicians", techn: "technician",
  tchr: "teacher", instr: "instructor", prof: "professor", recep: "receptionist",
  cust: "customer", dept: "department", ctr: "center", govt: "government", gov: "government",
  intl: "international", natl: "national", med: "medical", pharm: "pharmacy", sci: "scientist",
  sw: "software", hw: "hardware", js: "javascript", ui: "user interface", ux: "user experience",
  bdr: "business development representative", sdr: "sales development representative",
  ea: "executive assistant", hvacr: "hvac",
}));

/** Abbreviations whose reading depends on the next word: [next words, reading then, reading otherwise]. */
export const CONTEXTUAL: ReadonlyMap<string, readonly [ReadonlySet<string>, string, string]> = new Map(Object.entries({
  admin: [
    new Set(["assistant", "asst", "support", "clerk", "officer", "coordinator", "coord", "secretary", "aide", "specialist", "spec", "services"]),
    "administrative",
    "administrator",
  ],
  tech: [new Set(["lead", "support", "writer", "sales", "director", "manager", "mgr", "consultant"]), "technical", "technician"],
} as Record<string, readonly [ReadonlySet<string>, string, string]>));

/**
 * Words that say how, when or where a job is worked, not what it is: they are dropped. Level markers
 * (roman numerals, "level 2") go too; numbers are dropped separately.
 */
export const NOISE = new Set([
  "shift", "shifts", "night", "nights", "nocturnal", "overnight", "overnights", "evening", "evenings",
  "weekend", "weekends", "days", "remote", "remotely", "hybrid", "onsite", "wfh", "temp", "temporary",
  "seasonal", "prn", "parttime", "fulltime", "ft", "urgent", "urgently", "hiring", "immediate",
  "immediately", "needed", "wanted", "opening", "openings", "position", "positions", "job", "jobs",
  "bonus", "hourly", "weekly", "flexible", "travel", "traveling", "travelling", "contractual",
  "level", "lvl", "grade", "tier", "step", "ii", "iii", "iv", "vi", "vii", "viii", "ix",
]);

/** English function words (after symbol rewriting, so "&" has become "and"). */
export const STOPWORDS = new Set(["a", "an", "the", "of", "and", "or", "for", "in", "at", "to", "on", "with", "by", "from", "as", "i", "v", "x"]);
