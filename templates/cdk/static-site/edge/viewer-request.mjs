// CloudFront Function (runtime cloudfront-js-2.0), run at the edge on every viewer request before the
// cache. In order: send other host names (www, the *.cloudfront.net name) to the canonical host; answer
// redirects kept in the key value store (exact path -> target); then map the path to a file: a
// directory gets its index.html, and in single-page-app mode any path without a file extension gets
// the app's /index.html, while files keep their own names so a missing asset is still a real 404.
//
// CONFIG is filled in at synth from the stack's settings (lib/edge-code.ts); keep its line as it is.
import cf from 'cloudfront';

const kvs = cf.kvs();
const CONFIG = { canonicalHost: "", spa: false };

function redirect(location) {
  return { statusCode: 301, statusDescription: "Moved Permanently", headers: { location: { value: location }, "cache-control": { value: "max-age=3600" } } };
}

function queryString(request) {
  const parts = [];
  for (const name of Object.keys(request.querystring || {})) {
    const entry = request.querystring[name];
    const values = entry.multiValue ? entry.multiValue.map((v) => v.value) : [entry.value];
    for (const value of values) parts.push(value === "" ? name : name + "=" + value);
  }
  return parts.length ? "?" + parts.join("&") : "";
}

async function handler(event) {
  const request = event.request;
  const host = request.headers.host ? request.headers.host.value : "";
  if (CONFIG.canonicalHost && host && host !== CONFIG.canonicalHost) {
    return redirect("https://" + CONFIG.canonicalHost + request.uri + queryString(request));
  }
  let target = "";
  try {
    target = await kvs.get(request.uri);
  } catch (error) {
    target = ""; // no redirect for this path
  }
  if (target) {
    // an absolute URL is used as it is; a path stays on the canonical host (or the host asked for)
    const location = target.indexOf("://") > 0 ? target : "https://" + (CONFIG.canonicalHost || host) + target;
    return redirect(location + queryString(request));
  }
  const uri = request.uri;
  const last = uri.substring(uri.lastIndexOf("/") + 1);
  if (uri.endsWith("/")) {
    request.uri = uri + "index.html";
  } else if (last.indexOf(".") === -1) {
    request.uri = CONFIG.spa ? "/index.html" : uri + "/index.html";
  }
  return request;
}
