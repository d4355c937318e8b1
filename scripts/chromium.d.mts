export declare const CHROMIUM_ARGS: string[];
export declare function findChromium(): Promise<string | undefined>;
export declare const HOW_TO_GET_CHROMIUM: string;
