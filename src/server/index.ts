export { startServer, buildRoutes, type ServerOptions, type ServerHandle } from './server.js';
export { runServer, type RunServerOptions } from './run.js';
export { controlPlaneMigrations } from './schema.js';
export { openApiDocument } from './openapi.js';
