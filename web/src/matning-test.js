// The speed test of /matning: M-Lab's official ndt7 client (@m-lab/ndt7)
// pointed at this server, whose Web Workers are served at /ndt7/… . Download
// speed is the client's own count (bytes × 8 / time, as the receiver saw
// it); upload speed is the server's count, the receiver then; latency is the
// smallest round-trip time the server's kernel saw during the download.
import ndt7 from '@m-lab/ndt7';
import { ndt7Workers } from './ndt7-workers.js';

const SUBTEST_SECONDS = 10;

/**
 * runSpeedTest runs the download and then the upload subtest.
 *
 * @param {(p: {phase: 'download'|'upload', fraction: number, mbps: number|null}) => void} onProgress
 * @returns {Promise<{downMbps: number, upMbps: number, latencyMs: number|null, jitterMs: number|null}>}
 */
export async function runSpeedTest(onProgress) {
  let down = null;
  let up = null;
  let minRTT = null; // µs
  let rttVar = null; // µs
  let failure = null;

  const serverSaw = (data) => {
    const tcp = data && data.TCPInfo;
    if (!tcp) return;
    if (tcp.MinRTT > 0) minRTT = minRTT === null ? tcp.MinRTT : Math.min(minRTT, tcp.MinRTT);
    if (tcp.RTTVar >= 0) rttVar = tcp.RTTVar;
  };
  const serverMbps = (data) => {
    const app = data && data.AppInfo;
    return app && app.ElapsedTime > 0 ? (app.NumBytes * 8) / app.ElapsedTime : null; // bits per µs = Mbit/s
  };

  const code = await ndt7.test(
    {
      ...ndt7Workers,
      server: location.host,
      protocol: location.protocol === 'https:' ? 'wss' : 'ws',
      mlabDataPolicyInapplicable: true, // gigakoll's own server, not M-Lab's
      metadata: { client_name: 'gigakoll-matning', client_version: '1' },
    },
    {
      error: (err) => {
        failure = String(err);
      },
      downloadMeasurement: ({ Source, Data }) => {
        if (Source === 'server') {
          serverSaw(Data);
          return;
        }
        down = Data.MeanClientMbps;
        onProgress({ phase: 'download', fraction: Math.min(Data.ElapsedTime / SUBTEST_SECONDS, 1), mbps: down });
      },
      downloadComplete: ({ LastClientMeasurement, LastServerMeasurement }) => {
        if (LastClientMeasurement) down = LastClientMeasurement.MeanClientMbps;
        serverSaw(LastServerMeasurement);
      },
      uploadMeasurement: ({ Source, Data }) => {
        if (Source === 'server') {
          const mbps = serverMbps(Data);
          if (mbps !== null) up = mbps;
          const elapsed = Data.AppInfo ? Data.AppInfo.ElapsedTime / 1e6 : 0;
          onProgress({ phase: 'upload', fraction: Math.min(elapsed / SUBTEST_SECONDS, 1), mbps: up });
        } else if (up === null && Data.MeanClientMbps > 0) {
          onProgress({ phase: 'upload', fraction: Math.min(Data.ElapsedTime / SUBTEST_SECONDS, 1), mbps: Data.MeanClientMbps });
        }
      },
      uploadComplete: ({ LastClientMeasurement, LastServerMeasurement }) => {
        const mbps = serverMbps(LastServerMeasurement);
        if (mbps !== null) up = mbps;
        else if (up === null && LastClientMeasurement) up = LastClientMeasurement.MeanClientMbps;
      },
    },
  );
  if (failure !== null || code !== 0 || !(down > 0) || !(up > 0)) {
    throw new Error(failure || `ndt7 ended with code ${code}`);
  }
  return {
    downMbps: down,
    upMbps: up,
    latencyMs: minRTT > 0 ? minRTT / 1000 : null, // none seen: not measured, never "0 ms"
    jitterMs: rttVar !== null ? rttVar / 1000 : null,
  };
}
