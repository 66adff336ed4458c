using System.Collections.Immutable;
using MeshDashboard.Api;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Simulation;

namespace MeshDashboard.Model;

/// <summary>One editable key/value row (a header, a source label); rows with an empty key are ignored.</summary>
public sealed record KeyValueRow(string Key, string Value)
{
    public static readonly KeyValueRow Empty = new("", "");
}

/// <summary>
/// The "where does this request go?" form: a request as a person describes it. It starts from the service (its
/// short host, sent from a sidecar in its own namespace) and lowers to the simulator's <see cref="SimulatedRequest"/>,
/// checked by the same rules as <c>POST /api/simulate</c> so the form and the API refuse the same requests.
/// </summary>
public sealed record SimulationFormModel
{
    public const string Mesh = "mesh";

    public static readonly ImmutableArray<string> Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    public required string Host { get; init; }

    /// <summary><c>mesh</c> (a sidecar sends it) or a gateway as <c>namespace/name</c>.</summary>
    public string Gateway { get; init; } = Mesh;

    public string Method { get; init; } = "GET";

    /// <summary>The path, with its query string.</summary>
    public string Path { get; init; } = "/";

    public ImmutableArray<KeyValueRow> Headers { get; init; } = [KeyValueRow.Empty];

    public ImmutableArray<KeyValueRow> SourceLabels { get; init; } = [];

    public string SourceNamespace { get; init; } = "";

    public bool AtGateway => Gateway != Mesh;

    public static SimulationFormModel For(MeshService service) => new() { Host = service.Name, SourceNamespace = service.Namespace };

    /// <summary>Where a request to the service can enter: the mesh, and each gateway its VirtualServices are bound to.</summary>
    public static ImmutableArray<string> GatewayChoices(MeshService service) =>
        [Mesh, .. service.Gateways.Select(g => $"{g.Namespace}/{g.Name}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>
    /// Moves the request to another entry point. A host the person has not typed (the one suggested for the previous
    /// entry point) follows: the service's name in the mesh, the host of a VirtualService bound to the gateway there.
    /// </summary>
    public SimulationFormModel WithGateway(string gateway, MeshService service)
    {
        var followsSuggestion = string.IsNullOrWhiteSpace(Host) || Host == SuggestedHost(Gateway, service);
        return this with { Gateway = gateway, Host = followsSuggestion ? SuggestedHost(gateway, service) : Host };
    }

    internal static string SuggestedHost(string gateway, MeshService service)
    {
        if (gateway == Mesh)
        {
            return service.Name;
        }
        var bound = service.Routes
            .Select(r => r.VirtualService)
            .FirstOrDefault(vs => vs.Gateways.Any(g => GatewayNames.Resolve(g, vs.Namespace) == gateway) && !vs.Hosts.IsEmpty);
        return bound?.Hosts[0] ?? service.Name;
    }

    /// <summary>What is wrong with the request, by field (the API's field names); empty when it can be simulated.</summary>
    public ImmutableDictionary<string, string> Validate() =>
        SimulateApi.Validate(ToApiRequest())
            .GroupBy(e => e.Field, StringComparer.Ordinal)
            .ToImmutableDictionary(g => g.Key, g => string.Join("; ", g.Select(e => e.Message)), StringComparer.Ordinal);

    public SimulatedRequest ToRequest()
    {
        var body = ToApiRequest();
        return new SimulatedRequest
        {
            Host = body.Host,
            Gateway = body.Gateway,
            Method = body.Method,
            Path = body.Path,
            Headers = body.Headers!,
            SourceLabels = body.SourceLabels!,
            SourceNamespace = body.SourceNamespace,
        };
    }

    private SimulateRequest ToApiRequest() => new(
        Host.Trim(),
        Gateway,
        Method.Trim(),
        Path.Trim(),
        MapOf(Headers, StringComparer.OrdinalIgnoreCase),
        AtGateway ? MapOf([], StringComparer.Ordinal) : MapOf(SourceLabels, StringComparer.Ordinal),
        AtGateway || string.IsNullOrWhiteSpace(SourceNamespace) ? null : SourceNamespace.Trim());

    // The first row wins when a key repeats, as the simulator keeps the first value of a repeated header.
    // Header names are case-insensitive, label keys are not.
    private static Dictionary<string, string> MapOf(ImmutableArray<KeyValueRow> rows, StringComparer keys)
    {
        var map = new Dictionary<string, string>(keys);
        foreach (var row in rows.Where(r => !string.IsNullOrWhiteSpace(r.Key)))
        {
            map.TryAdd(row.Key.Trim(), row.Value);
        }
        return map;
    }
}
