using System.Net;
using MeshDashboard.Authentication;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Net.Http.Headers;

namespace MeshDashboard.Hosting;

/// <summary>
/// Closes the doors a browser opens to a dashboard that reroutes production traffic:
/// <list type="bullet">
/// <item>a <c>Host</c> header outside the allow-list is refused (DNS rebinding): without sign-in only loopback names and
/// addresses, as <c>kubectl proxy --accept-hosts</c> does by default; otherwise <c>AllowedHosts</c> from configuration;</item>
/// <item>a state-changing request made by a page of another origin is refused, judged by <c>Sec-Fetch-Site</c> and,
/// from browsers that do not send it, by <c>Origin</c> against the request's own origin; a request with a bearer token
/// carries no ambient credential and is not a browser's, so it passes;</item>
/// <item>an API write must say <c>Content-Type: application/json</c>, which a page cannot send across origins
/// without a CORS preflight that this server never answers.</item>
/// </list>
/// Every refusal is problem+json naming the header and the rule.
/// </summary>
public sealed class BrowserRequestGuard(RequestDelegate next, HostAllowList hosts)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        // Probes (kubelet, load balancers) address the pod by IP; health answers reveal nothing and change nothing.
        var isProbe = HttpMethods.IsGet(request.Method) && (request.Path == "/healthz" || request.Path == "/readyz");
        if (!isProbe && !hosts.Allows(request.Host))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "Host",
                $"The Host header \"{request.Host}\" is not one this dashboard serves; allowed: {hosts}. Set AllowedHosts to the names people use.");
            return;
        }
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            await next(context);
            return;
        }
        if (!HasBearerToken(request) && CrossOrigin(request) is { } why)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, why.Header,
                $"A page of another origin may not change anything here ({why.Header}: {why.Value}).");
            return;
        }
        if (request.Path.StartsWithSegments("/api") && !IsJson(request))
        {
            await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, "Content-Type",
                $"API writes take Content-Type: application/json, not \"{request.ContentType}\".");
            return;
        }
        await next(context);
    }

    private static bool HasBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>Which header shows the request came from another origin, or null when it did not (or is not a browser's).</summary>
    private static (string Header, string Value)? CrossOrigin(HttpRequest request)
    {
        // Fetch metadata: "same-origin", or "none" for what the person did themselves (typed URL, bookmark). "same-site"
        // is refused too: another port on the same host is the same site but another origin.
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is "same-origin" or "none" ? null : ("Sec-Fetch-Site", site);
        }
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            // No browser sends a cross-origin write without Origin; curl and pipelines send neither header.
            return null;
        }
        var own = $"{request.Scheme}://{request.Host}";
        return string.Equals(origin, own, StringComparison.OrdinalIgnoreCase) ? null : ("Origin", origin);
    }

    private static bool IsJson(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) &&
        (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));

    private static Task RefuseAsync(HttpContext context, int status, string header, string detail)
    {
        context.Response.StatusCode = status;
        return Results.Problem(detail, statusCode: status, title: "Refused",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [header] = [detail] } }).ExecuteAsync(context);
    }
}

/// <summary>
/// The Host names the dashboard answers to. Entries are names (<c>dash.example.com</c>), wildcards of subdomains
/// (<c>*.example.com</c>) or <c>*</c>; ports are ignored. Without sign-in the list is loopback only, whatever is configured.
/// </summary>
public sealed class HostAllowList
{
    private static readonly string[] Loopback = ["localhost", "127.0.0.1", "[::1]"];
    private readonly string[] _entries;

    private HostAllowList(string[] entries) => _entries = entries;

    public static HostAllowList From(IConfiguration configuration, AuthOptions auth)
    {
        if (auth.Mode == AuthMode.None)
        {
            return new HostAllowList(Loopback);
        }
        var configured = (configuration["AllowedHosts"] ?? "*").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new HostAllowList(configured.Length == 0 ? ["*"] : configured);
    }

    public bool Allows(HostString host)
    {
        if (!host.HasValue)
        {
            return false;
        }
        var name = host.Host;
        foreach (var entry in _entries)
        {
            if (entry == "*" || string.Equals(entry, name, StringComparison.OrdinalIgnoreCase)
                || (entry.StartsWith("*.", StringComparison.Ordinal) && name.EndsWith(entry[1..], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }
        // Without sign-in every loopback address is loopback (127.0.0.2 included), as the listener is.
        return ReferenceEquals(_entries, Loopback) && IPAddress.TryParse(name.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    public override string ToString() => string.Join(", ", _entries);

    /// <summary>This guard owns the Host check (with a problem+json answer); the framework's own filter lets all through.</summary>
    internal static void DisableFrameworkFilter(IServiceCollection services) =>
        services.PostConfigure<HostFilteringOptions>(o => o.AllowedHosts = ["*"]);
}
