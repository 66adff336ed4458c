namespace MeshDashboard.Mesh.Simulation;

/// <summary>
/// The request as Envoy sees it: the path without query string and fragment, the query parameters (first value,
/// percent-decoded), headers by lowercase name, the authority, the port and where the request is (<c>mesh</c> or a
/// resolved gateway <c>namespace/name</c>).
/// </summary>
internal sealed class RequestFacts
{
    private readonly Dictionary<string, string> _headers;
    private readonly Dictionary<string, string> _query = new(StringComparer.Ordinal);

    public RequestFacts(SimulatedRequest request, string host, int? port)
    {
        Method = request.Method;
        Scheme = request.Scheme;
        Authority = request.Host;
        Port = port;
        SourceLabels = request.SourceLabels;
        SourceNamespace = request.SourceNamespace is { Length: > 0 } ns ? ns : null;
        Where = request.AtGateway ? GatewayNames.Resolve(request.Gateway!, SourceNamespace ?? "") : "mesh";
        Host = host;
        _headers = request.Headers.GroupBy(h => h.Key.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);

        var path = request.Path.Length == 0 ? "/" : request.Path;
        var hash = path.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            path = path[..hash];
        }
        var question = path.IndexOf('?', StringComparison.Ordinal);
        PathOnly = question >= 0 ? path[..question] : path;
        if (question >= 0)
        {
            foreach (var pair in path[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var key = Decode(equals >= 0 ? pair[..equals] : pair);
                _query.TryAdd(key, equals >= 0 ? Decode(pair[(equals + 1)..]) : "");
            }
        }
    }

    public string Method { get; }

    public string Scheme { get; }

    public string Authority { get; }

    public int? Port { get; }

    public string Host { get; }

    public string PathOnly { get; }

    public IReadOnlyDictionary<string, string> SourceLabels { get; }

    public string? SourceNamespace { get; }

    /// <summary><c>mesh</c>, or the gateway as <c>namespace/name</c>.</summary>
    public string Where { get; }

    public string? Header(string name) => _headers.GetValueOrDefault(name.ToLowerInvariant());

    public string? Query(string name) => _query.GetValueOrDefault(name);

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}

/// <summary>How istiod resolves a gateway reference (pilot/pkg/model/config.go <c>resolveGatewayName</c>).</summary>
public static class GatewayNames
{
    /// <summary>
    /// <c>mesh</c> stays; <c>name</c> → <c>ns/name</c> in the referring namespace; <c>./name</c> likewise;
    /// the legacy <c>name.ns[.svc.cluster.local]</c> → <c>ns/name</c>; <c>ns/name</c> as written.
    /// </summary>
    public static string Resolve(string reference, string referringNamespace)
    {
        if (reference == "mesh")
        {
            return reference;
        }
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            return reference[..slash] == "." ? $"{referringNamespace}/{reference[(slash + 1)..]}" : reference;
        }
        var dot = reference.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return $"{referringNamespace}/{reference}";
        }
        var rest = reference[(dot + 1)..];
        var nextDot = rest.IndexOf('.', StringComparison.Ordinal);
        return $"{(nextDot < 0 ? rest : rest[..nextDot])}/{reference[..dot]}";
    }
}
