export declare const CLI_OUTFILE: string;
export declare function buildCli(): Promise<void>;
