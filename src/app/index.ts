export { calendarFor } from './calendar-for.ts';
export { clockFrom, type Environment, environmentFrom } from './environment.ts';
export { AppError, type AppErrorKind } from './errors.ts';
export { type GateOptions, type GateReport, gatePacketFile, gatePacketText } from './gate-packet.ts';
export { createPacketFile } from './new-packet.ts';
export { loadPlaybook } from './playbook-source.ts';
