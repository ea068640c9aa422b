// The stable URLs of ndt7's Web Workers, copied into dist/ndt7/ by
// vite.config.js and served by the Go server at /ndt7/. Pass them to the
// client: ndt7.test({ ...ndt7Workers, server: location.host, protocol: … }, callbacks).
export const ndt7Workers = {
  downloadworkerfile: '/ndt7/ndt7-download-worker.js',
  uploadworkerfile: '/ndt7/ndt7-upload-worker.js',
};
