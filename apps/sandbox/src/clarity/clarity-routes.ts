/** Clarity's API bases (the simulator answers on all three, like a Clarity install). */
export const CLARITY_CONTROLLER_PATHS = [
  'clarity/DesktopModules/ClarityEcommerce/API',
  'clarity/DesktopModules/ClarityEcommerce/API-Admin',
  'clarity/DesktopModules/ClarityEcommerce/API-Storefront',
];
