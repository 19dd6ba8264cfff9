// A real OpenID provider for the single sign-on tests (tests/oidc/__init__.py starts it):
// node's oidc-provider on 127.0.0.1, one confidential client using PKCE (S256), a few accounts
// whose claims carry groups, the library's development login page (any password is accepted:
// the login name picks the account), consent granted without asking (a first-party client),
// RP-initiated logout. Prints "ready <issuer>" on stdout once it listens.
//
//   node tests/oidc/provider.mjs <port> <redirect URIs, comma-separated> <post-logout URIs>
import http from "node:http";
import Provider from "oidc-provider";

const [port, redirectUris, postLogoutUris] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

// The login name typed on the provider's page -> the account's claims.
const ACCOUNTS = {
  ana: { email: "ana@idp.example.org", email_verified: true, name: "Ana Supervisora",
         groups: ["supervisores-norte"] },
  carla: { email: "carla@idp.example.org", email_verified: true, name: "Carla Coordinadora",
           groups: ["coordinacion", "equipo-sur"] },
  nadie: { email: "nadie@idp.example.org", email_verified: true, name: "Sin Grupos",
           groups: ["visitantes"] },
  equipo: { email: "equipo@example.org", email_verified: true, name: "Equipo",
            groups: ["supervisores-norte"] },
};

const configuration = {
  clients: [{
    client_id: "webforms",
    client_secret: "webforms-test-secret",
    redirect_uris: redirectUris.split(","),
    post_logout_redirect_uris: postLogoutUris.split(","),
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_basic",
  }],
  pkce: { required: () => true },
  scopes: ["openid", "email", "profile", "groups"],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"],
            groups: ["groups"] },
  // The ID token carries the claims of the granted scopes (not only the userinfo endpoint).
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(_ctx, id) {
    const claims = ACCOUNTS[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile groups");
    await grant.save();
    return grant;
  },
};

const provider = new Provider(issuer, configuration);
const server = http.createServer(provider.callback());
server.listen(Number(port), "127.0.0.1", () => console.log(`ready ${issuer}`));
