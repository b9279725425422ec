// The Worker's bindings, as configured in wrangler.toml ([vars]).
export interface Env {
  /** Model answering requests that name none. */
  DEFAULT_MODEL?: string;
}

export type AppEnv = { Bindings: Env };
