// A BuildKit session that answers the engine's secret requests (RUN --mount=type=secret,id=ID). dockerode's own
// session serves registry credentials only, so builds with secrets open this one instead. Values live in memory for
// the build and are never logged.
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type Docker from 'dockerode';
import protobuf from 'protobufjs';

// The services a session offers, as BuildKit and the docker CLI define them.
const PROTO = `
syntax = "proto3";
package moby.buildkit.secrets.v1;
service Secrets { rpc GetSecret(GetSecretRequest) returns (GetSecretResponse); }
message GetSecretRequest { string ID = 1; map<string, string> annotations = 2; }
message GetSecretResponse { bytes data = 1; }
`;
const AUTH_PROTO = `
syntax = "proto3";
package moby.filesync.v1;
service Auth { rpc Credentials(CredentialsRequest) returns (CredentialsResponse); }
message CredentialsRequest { string Host = 1; }
message CredentialsResponse { string Username = 1; string Secret = 2; }
`;

// BuildKit checks a session's health every few seconds and closes a session that does not answer (two failed checks
// in a row): without this service every secret asked for later than about ten seconds into a build failed with "no
// active session ... context deadline exceeded" (an npm install after a slow step, or any build on a loaded machine).
const HEALTH_PROTO = `
syntax = "proto3";
package grpc.health.v1;
service Health { rpc Check(HealthCheckRequest) returns (HealthCheckResponse); }
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse { enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; } ServingStatus status = 1; }
`;

function packageDefinition(): protoLoader.PackageDefinition {
  const root = new protobuf.Root();
  protobuf.parse(PROTO, root, { keepCase: true });
  protobuf.parse(AUTH_PROTO, root, { keepCase: true });
  protobuf.parse(HEALTH_PROTO, root, { keepCase: true });
  return protoLoader.fromJSON(root.toJSON(), { keepCase: true });
}

const METHODS = ['/moby.buildkit.secrets.v1.Secrets/GetSecret', '/moby.filesync.v1.Auth/Credentials', '/grpc.health.v1.Health/Check'];

interface ServiceTree {
  moby: {
    buildkit: { secrets: { v1: { Secrets: { service: grpc.ServiceDefinition } } } };
    filesync: { v1: { Auth: { service: grpc.ServiceDefinition } } };
  };
  grpc: { health: { v1: { Health: { service: grpc.ServiceDefinition } } } };
}

export interface BuildSession {
  id: string;
  close(): void;
}

/** Opens a session on the engine serving `secrets` (id -> value). An unknown id answers NOT_FOUND, as docker does. */
export function openSecretSession(docker: Docker, secrets: ReadonlyMap<string, Buffer>): Promise<BuildSession> {
  const id = randomUUID();
  const headers: Record<string, string | string[]> = {
    Upgrade: 'h2c',
    'X-Docker-Expose-Session-Uuid': id,
    'X-Docker-Expose-Session-Name': 'stagebench',
    'X-Docker-Expose-Session-Grpc-Method': METHODS,
  };
  return new Promise((resolve, reject) => {
    docker.modem.dial({ method: 'POST', path: '/session', hijack: true, headers, statusCodes: { 101: true, 200: true, 500: 'server error' } }, (err: unknown, socket: unknown) => {
      if (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      const server = new grpc.Server();
      const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
      injector.injectConnection(socket as Socket);
      const tree = grpc.loadPackageDefinition(packageDefinition()) as unknown as ServiceTree;
      server.addService(tree.moby.buildkit.secrets.v1.Secrets.service, {
        GetSecret(call: grpc.ServerUnaryCall<{ ID: string }, unknown>, callback: grpc.sendUnaryData<{ data: Buffer }>) {
          const value = secrets.get(call.request.ID);
          if (value === undefined) callback({ code: grpc.status.NOT_FOUND, details: `secret ${call.request.ID} not found` }, null);
          else callback(null, { data: value });
        },
      });
      // Anonymous registry access, as a build without credentials has.
      server.addService(tree.moby.filesync.v1.Auth.service, {
        Credentials(_call: unknown, callback: grpc.sendUnaryData<Record<string, string>>) {
          callback(null, {});
        },
      });
      server.addService(tree.grpc.health.v1.Health.service, {
        Check(_call: unknown, callback: grpc.sendUnaryData<{ status: string }>) {
          callback(null, { status: 'SERVING' });
        },
      });
      resolve({
        id,
        close: () => {
          server.forceShutdown();
          (socket as Socket).end();
        },
      });
    });
  });
}
