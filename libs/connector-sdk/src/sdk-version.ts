/** The SDK's own version; a plugin's `sdkVersion` range must admit it. */
export const SDK_VERSION = '1.0.0';
