/** Model name -> file name -> the file's bytes, as bundled that this deployment serves (see shipped.js). */
export declare const SHIPPED_MODELS: Readonly<Record<string, Readonly<Record<string, ArrayBuffer>>>>;
/** model/titles/titles.bin's bytes. */
export declare const SHIPPED_TITLE_INDEX: ArrayBuffer;
