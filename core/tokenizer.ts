// The resume tokenizer at run time: a tokenizer.json trained by scripts/lm/bpe.py, read with
// @huggingface/tokenizers (pure JS, no platform API: runs in Node and in the Worker). It gives the same ids as
// the Python trainer (test/unit/tokenizer.test.ts), so the model sees what it was trained on.
import { Tokenizer } from "@huggingface/tokenizers";
import { codeToken, END_MARKER } from "./resume.ts";
import type { LabelSet } from "./taxonomy.ts";

export const PAD_TOKEN = "<pad>";

export interface ResumeTokenizer {
  /** Token ids of a text, nothing added around it. */
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** The id of a whole token (for example END_MARKER or PAD_TOKEN), or undefined. */
  tokenId(token: string): number | undefined;
}

export function loadTokenizer(tokenizerJson: object): ResumeTokenizer {
  // clean_up_tokenization_spaces would rewrite " ." and " 's" when decoding: the resume text must come back as is.
  const tokenizer = new Tokenizer(tokenizerJson, { clean_up_tokenization_spaces: false });
  for (const token of [PAD_TOKEN, END_MARKER]) {
    if (tokenizer.token_to_id(token) === undefined) throw new Error(`tokenizer.json has no ${token} token`);
  }
  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    // tokenizers.js throws on an empty id list.
    decode: (ids) => (ids.length === 0 ? "" : tokenizer.decode([...ids])),
    tokenId: (token) => tokenizer.token_to_id(token),
  };
}

/** The added tokens of the "codes" rendering (one id per code): every label's code token, in label order. */
export function codeTokens(labels: LabelSet): string[] {
  return labels.codes.map((code) => codeToken(labels, code));
}
