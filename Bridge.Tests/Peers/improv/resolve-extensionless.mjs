// improv-wifi-serial-sdk's dist imports "./util/hex-formatter" without ".js", which bundlers
// accept and Node's ES module loader does not: retry such relative imports with ".js".
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.startsWith('.') || specifier.endsWith('.js')) throw error;
    return next(`${specifier}.js`, context);
  }
}
