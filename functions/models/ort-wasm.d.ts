// wrangler (and the vitest Workers pool) import .wasm files as CompiledWasm modules: a WebAssembly.Module
// compiled when the Worker starts, since workerd forbids compiling WebAssembly from bytes at run time.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
