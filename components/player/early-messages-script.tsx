import { headers } from 'next/headers';
import { HEADER } from '@/lib/auth/request';
import { EARLY_GLOBAL, messagesUrl } from './early-messages';

/**
 * An inline script (with the page's CSP nonce) that asks for the recording's
 * messages while the HTML is still being parsed, before any of the page's
 * JavaScript has loaded: the player takes the response when it mounts
 * (early-messages.ts). Without it (a client-side navigation, which never
 * runs inline scripts), PlayerLoader asks at its first render.
 */
export async function EarlyMessagesScript({ recordingId }: { recordingId: string }) {
  const nonce = (await headers()).get(HEADER.nonce) ?? undefined;
  // JSON in a script element: `<` escaped, so that no `</script>` can end it.
  const literal = (value: string) => JSON.stringify(value).replace(/</g, '\\u003c');
  const code =
    `(function(){try{var c=new AbortController();var r=fetch(${literal(messagesUrl(recordingId))},{signal:c.signal});` +
    `r.catch(function(){});window[${literal(EARLY_GLOBAL)}]={recordingId:${literal(recordingId)},controller:c,response:r,taken:false};}catch(e){}})();`;
  return <script nonce={nonce} dangerouslySetInnerHTML={{ __html: code }} />;
}
