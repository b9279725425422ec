/** Model name -> file name -> the file's bytes, as bundled (see shipped.js). */
export declare const SHIPPED_MODELS: Readonly<Record<string, Readonly<Record<string, ArrayBuffer>>>>;
