/** Model name -> file name -> the file's bytes, for every model folder (see all.js). */
export declare const ALL_MODELS: Readonly<Record<string, Readonly<Record<string, ArrayBuffer>>>>;
