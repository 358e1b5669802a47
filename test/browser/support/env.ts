/** Where the product under test listens (E2E_PORT; CI's default 3100). */
export const PORT = Number(process.env.E2E_PORT ?? 3100);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
export const ADMIN = { email: 'admin@e2e.example', password: 'e2e-admin-password-1' };
/** The password every person the journeys create gets. */
export const PASSWORD = 'e2e-person-password-1';
