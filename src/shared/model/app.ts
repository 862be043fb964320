export const APP_NAME = 'Ferry';
