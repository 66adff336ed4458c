using MeshDashboard.Sandbox.Api;
using Microsoft.AspNetCore.Http;

namespace MeshDashboard.Sandbox.Security;

/// <summary>
/// Who may talk to the sandbox: whoever holds its token, which is the dashboard and anyone using the kubeconfig.
/// Runs before anything else looks at the request, so Impersonate-* headers only count on an authenticated one.
/// </summary>
internal sealed class BearerAuthentication(SandboxToken token)
{
    private const string Scheme = "Bearer";

    /// <summary>Throws the API server's 401 unless the request may go on.</summary>
    public void Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.FirstOrDefault();
        if (string.IsNullOrEmpty(header))
        {
            // kube-apiserver's default RBAC (system:public-info-viewer) lets anonymous callers read these and
            // nothing else; probes and `curl /version` work without a credential, as against a real cluster.
            if (IsPublicInfo(request.Path))
            {
                return;
            }
            throw ApiException.Unauthorized();
        }

        // A credential that is wrong is refused on every path, public ones included, as kube-apiserver does:
        // authentication fails before any authorization rule is consulted.
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? header : header[..space];
        var presented = space < 0 ? "" : header[(space + 1)..].Trim();
        if (!scheme.Equals(Scheme, StringComparison.OrdinalIgnoreCase) || presented.Length == 0 || !token.Matches(presented))
        {
            throw ApiException.Unauthorized();
        }
    }

    /// <summary>Exactly the URLs system:public-info-viewer lists; the probes' subpaths are not among them.</summary>
    private static bool IsPublicInfo(PathString path) => path.Value is "/healthz" or "/livez" or "/readyz" or "/version" or "/version/";
}
