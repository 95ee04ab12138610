// A real OpenID Connect provider on 127.0.0.1 for tests/test_browser_oidc.py: oidc-provider
// (package.json pins it) with one confidential client and a sign-in page where a person types
// an e-mail address. Every address is an account; its `email` claim is the address as typed.
//
//   node provider.js --redirect-uri http://localhost:8501/oauth2callback --client-secret S
//                    [--client-id ketenkaart] [--port 0]
//
// Listens on --port (0: a free one) and prints one line, `issuer http://127.0.0.1:PORT`, once
// it answers. The client's redirect URI is also its only post-logout redirect URI (Streamlit's
// st.logout sends /oauth2callback there). Streamlit asks for `prompt=select_account`, which
// real providers offer and oidc-provider does not by default: it is added to the interaction
// policy, and the sign-in page resolves it together with login; consent is granted at once
// (a first-party client). The `email` claim is in the ID token (conformIdTokenClaims: false).
// Nothing is stored: accounts, sessions and keys live in memory.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider, { interactionPolicy } from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    'redirect-uri': { type: 'string' },
    'client-id': { type: 'string', default: 'ketenkaart' },
    'client-secret': { type: 'string' },
    port: { type: 'string', default: '0' },
  },
});
if (!args['redirect-uri'] || !args['client-secret']) {
  console.error('usage: node provider.js --redirect-uri URL --client-secret SECRET [--port N]');
  process.exit(2);
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title, body) => `<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem}
label,input,button{display:block;font-size:1rem;margin:.5rem 0}input{width:100%;padding:.4rem}
button{padding:.5rem 1rem}</style></head>
<body><h1>${escape(title)}</h1>${body}</body></html>`;

const policy = interactionPolicy.base();
policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const configuration = {
  clients: [
    {
      client_id: args['client-id'],
      client_secret: args['client-secret'],
      redirect_uris: [args['redirect-uri']],
      post_logout_redirect_uris: [args['redirect-uri']],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  claims: { email: ['email', 'email_verified'], profile: ['name'] },
  // Streamlit reads the user from the ID token only (never the userinfo endpoint), so the
  // claims of the granted scopes go into the ID token, as Entra ID, Google and Keycloak do.
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: id };
      },
    };
  },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig' }] },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      async logoutSource(ctx, form) {
        ctx.body = page(
          'Uitloggen bij de testinlogdienst',
          `${form}<button autofocus type="submit" form="op.logoutForm" name="logout" value="yes">Ja, uitloggen</button>`,
        );
      },
    },
  },
  interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Fout bij de testinlogdienst', `<pre>${escape(JSON.stringify(out))}</pre>`);
  },
};

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

// The interaction pages: GET shows the sign-in form (or grants consent at once), POST signs in.
async function interaction(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  if (req.method === 'POST') {
    const email = ((await readForm(req)).get('email') || '').trim();
    if (!email) {
      res.writeHead(303, { Location: `/interaction/${uid}` }).end();
      return;
    }
    const login = { accountId: email };
    await provider.interactionFinished(req, res, { login, select_account: {} }, {
      mergeWithLastSubmission: false,
    });
    return;
  }
  if (prompt.name === 'consent') {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, {
      mergeWithLastSubmission: true,
    });
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(
    page(
      'Inloggen bij de testinlogdienst',
      `<form method="post" action="/interaction/${escape(uid)}">
<label for="email">E-mailadres</label>
<input id="email" name="email" type="email" autocomplete="email" required autofocus>
<button type="submit">Inloggen</button></form>`,
    ),
  );
}

const server = createServer();
server.listen(Number(args.port), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.url.startsWith('/interaction/')) {
      interaction(provider, req, res).catch((error) => {
        console.error(error);
        if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/plain' });
        res.end('Deze inlogpoging is verlopen; begin opnieuw.');
      });
    } else {
      callback(req, res);
    }
  });
  console.log(`issuer ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
