// Verifying a Cognito user pool token (RS256 JWT) with node:crypto alone, so the function needs no
// bundling. Pure: the signing keys come in as a JWKS object (tested in test/jwt.test.ts).
import { createPublicKey, verify } from "node:crypto";

const json = (part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

/** Splits a compact JWT into its decoded header and payload, the signature bytes and the signed text. */
export function decodeToken(token) {
  const parts = typeof token === "string" ? token.split(".") : [];
  if (parts.length !== 3) throw new Error("not a JWT");
  return { header: json(parts[0]), payload: json(parts[1]), signature: Buffer.from(parts[2], "base64url"), signed: `${parts[0]}.${parts[1]}` };
}

/**
 * The caller a token proves, or an error saying why not: RS256 only, a key of the pool, the pool as
 * issuer, not expired (60 seconds of clock skew allowed), and an ID token for this app client (aud)
 * or an access token for it (client_id).
 */
export function verifyToken(token, jwks, { issuer, clientId, now = Math.floor(Date.now() / 1000) }) {
  const { header, payload, signature, signed } = decodeToken(token);
  if (header.alg !== "RS256") throw new Error(`algorithm ${header.alg} is not accepted`);
  const jwk = (jwks.keys ?? []).find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`no signing key ${header.kid}`);
  if (!verify("RSA-SHA256", Buffer.from(signed), createPublicKey({ key: jwk, format: "jwk" }), signature)) throw new Error("bad signature");
  if (payload.iss !== issuer) throw new Error("wrong issuer");
  if (typeof payload.exp !== "number" || payload.exp + 60 <= now) throw new Error("expired");
  if (payload.token_use === "id" ? payload.aud !== clientId : payload.token_use === "access" ? payload.client_id !== clientId : true) {
    throw new Error("not a token for this app client");
  }
  if (typeof payload.sub !== "string" || payload.sub === "") throw new Error("no subject");
  const groups = Array.isArray(payload["cognito:groups"]) ? payload["cognito:groups"].filter((g) => typeof g === "string") : [];
  return { userId: payload.sub, groups };
}

/** The IAM policy a Lambda authorizer returns; the context travels with every message of the connection. */
export function policyFor(principalId, effect, resource, context = {}) {
  return {
    principalId,
    policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }] },
    context,
  };
}
