// Sizes and schedules of the model build. "full" is what the shipped models were built with; "smoke" runs
// every stage in seconds (CI keeps the pipeline alive with it; its numbers mean nothing).

export interface LmShape {
  dModel: number;
  nLayer: number;
  nHead: number;
}

export interface BuildConfig {
  name: "full" | "smoke";
  seed: number;
  /** Longest token sequence either model reads (resume + candidate). */
  maxLen: number;
  /** Use only the first N people of the panel (by id), 0 for all. */
  limitPeople: number;
  /** The large model's calibration: fitted on at most `questions` validation questions (the first: its dozen
   *  numbers need far fewer, and each costs a scoring against every label; synthetic has 35,000), its map of
   *  P(stay)'s log-odds piecewise linear with `stayKnots` knots (docs/quality.md: nlsy79). */
  largeCalibration: { questions: number; stayKnots: number };
  /** The edge model's calibration (calibrate_career.py, on every validation question): its map of P(stay)'s
   *  log-odds piecewise linear with `stayKnots` knots where that beats Platt scaling on held-out validation
   *  questions (synthetic: top-1 ECE 0.020 with Platt scaling, 0.007 with 5 knots; docs/quality.md). */
  smallCalibration: { stayKnots: number };
  foundation: {
    /** Synthetic careers from a different seed than the synthetic dataset: other people, same world. */
    syntheticPeople: number;
    syntheticSeed: number;
    /** O*NET titles and descriptions documents, 0 for none, -1 for all. */
    onetDocuments: number;
    vocabSize: number;
    shape: LmShape;
    /** The GPT's dropout, in pretraining and in every fine-tuning: 0 for the 1.25 M network the CPU can train
     *  (it stops on its label NLL first); a larger network on a GPU wants about 0.1 (docs/quality.md). */
    dropout: number;
    epochs: number;
    lr: number;
  };
  /** Fine-tuning the foundation on the panel, and the panel-only variant trained from scratch: at most
   *  `epochs`, the checkpoint with the best label NLL on `labelValidResumes` validation resumes, stopping after
   *  `patience` epochs without a better one. */
  panel: { epochs: number; lr: number; scratchLr: number; batchTokens: number; labelValidResumes: number; patience: number };
  /** The career edge model (scripts/lm/train_career.py): at most `epochs`, stopping after `patience` epochs
   *  without a better validation NLL; distilled from the large model (weight `alpha`, at `temperature`). */
  small: { shape: LmShape; dropout: number; maxSteps: number; epochs: number; patience: number; lr: number; batch: number; alpha: number; temperature: number };
}

export const FULL: BuildConfig = {
  name: "full",
  seed: 1,
  maxLen: 512,
  limitPeople: 0,
  largeCalibration: { questions: 15000, stayKnots: 5 },
  smallCalibration: { stayKnots: 5 },
  foundation: {
    syntheticPeople: 6000,
    syntheticSeed: 1001,
    onetDocuments: -1,
    // Ids beyond the ~1,050 added code tokens and 256 bytes are BPE merges (about 2,000 here).
    vocabSize: 3072,
    shape: { dModel: 128, nLayer: 4, nHead: 4 },
    dropout: 0,
    epochs: 1,
    lr: 1e-3,
  },
  // At most 20 epochs: the label NLL decides when to stop (nlsy79's stopped after 12 on the CPU, epoch 10 kept).
  panel: { epochs: 20, lr: 5e-4, scratchLr: 1e-3, batchTokens: 2048, labelValidResumes: 100, patience: 2 },
  small: { shape: { dModel: 128, nLayer: 2, nHead: 4 }, dropout: 0.1, maxSteps: 64, epochs: 40, patience: 4, lr: 2e-3, batch: 128, alpha: 0.5, temperature: 2 },
};

export const SMOKE: BuildConfig = {
  name: "smoke",
  seed: 1,
  maxLen: 512,
  limitPeople: 150,
  largeCalibration: { questions: 40, stayKnots: 2 },
  smallCalibration: { stayKnots: 2 },
  foundation: {
    syntheticPeople: 60,
    syntheticSeed: 1001,
    onetDocuments: 40,
    vocabSize: 1300,
    shape: { dModel: 32, nLayer: 1, nHead: 2 },
    dropout: 0.1, // so that the smoke build runs the flag's path
    epochs: 1,
    lr: 3e-3,
  },
  panel: { epochs: 1, lr: 3e-3, scratchLr: 3e-3, batchTokens: 4096, labelValidResumes: 5, patience: 1 },
  // Six epochs, none cut short: a test stops the small model's training after its first and needs the rest to
  // outlast the signal (test/e2e/gpu-plan.test.ts).
  small: { shape: { dModel: 16, nLayer: 1, nHead: 1 }, dropout: 0.1, maxSteps: 64, epochs: 6, patience: 6, lr: 3e-3, batch: 64, alpha: 0.5, temperature: 2 },
};

export const shapeArgs = (s: LmShape): string[] => ["--d-model", `${s.dModel}`, "--n-layer", `${s.nLayer}`, "--n-head", `${s.nHead}`];
