/** widget/career-next-steps.js, as text (see widget-source.js). */
export declare const WIDGET_SOURCE: string;
