/** Variables that middleware sets on each request's context. */
export type AppEnv = { Variables: { requestId: string } };
