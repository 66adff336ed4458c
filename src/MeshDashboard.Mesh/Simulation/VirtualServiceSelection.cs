using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Istio;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Mesh.Simulation;

/// <summary>The VirtualService(s) whose rules decide, and those rules in the order Envoy tries them.</summary>
internal sealed record VirtualServiceSelection(
    string? GatewayRefusal,
    ImmutableArray<VirtualServiceView> Chosen,
    ImmutableArray<(VirtualServiceView Vs, JsonObject Rule, int Index)> Rules)
{
    private static readonly VirtualServiceSelection None = new(null, [], []);

    /// <summary>
    /// Which VirtualService applies, as istiod selects and Envoy looks up virtual hosts:
    /// <list type="number">
    /// <item>bound to where the request is: no <c>gateways</c> or <c>mesh</c> for sidecars, the gateway otherwise
    /// (names resolved in the VirtualService's namespace; pilot/pkg/model/virtualservice.go);</item>
    /// <item>visible to the caller's namespace by <c>exportTo</c> (absent or <c>*</c> = everyone, <c>.</c> = own
    /// namespace, <c>~</c> = no one; pilot/pkg/model/push_context.go <c>initVirtualServices</c>);</item>
    /// <item>the most specific host covering the request wins: exact before wildcard, longer wildcard before shorter
    /// (Envoy's virtual host domain lookup; pkg/config/host/name.go);</item>
    /// <item>several VirtualServices with that same host: private to the caller's namespace first, then exported to it,
    /// then public, each oldest first (creationTimestamp, then name, then namespace). A sidecar keeps the first and drops
    /// the duplicates; a gateway appends their rules in that order (pilot/pkg/networking/core/gateway.go).</item>
    /// </list>
    /// </summary>
    // covering: a superset of the VirtualServices that may cover the host (see RequestSimulator.Simulate); null: all of them.
    public static VirtualServiceSelection Select(MeshSnapshot snapshot, RequestFacts request, List<string> lines, IEnumerable<KubeObject>? covering = null)
    {
        GatewayView? gateway = null;
        var callerNamespace = request.SourceNamespace;
        if (request.Where != "mesh")
        {
            var slash = request.Where.IndexOf('/', StringComparison.Ordinal);
            var (ns, name) = (request.Where[..slash], request.Where[(slash + 1)..]);
            if (snapshot.Find(ResourceKind.Gateway, ns, name) is not { } found)
            {
                lines.Add($"Gateway {request.Where} does not exist: nothing routes the request.");
                return None with { GatewayRefusal = "missing" };
            }
            gateway = GatewayView.From(found);
            if (!gateway.Servers.Any(s => s.Hosts.Any(h => HostOf(h).Covers(request.Host))))
            {
                lines.Add($"Gateway {request.Where} has no server for host {request.Host}: the gateway answers 404.");
                return None with { GatewayRefusal = "host" };
            }
            if (callerNamespace is null)
            {
                callerNamespace = ns;
                lines.Add($"The gateway proxy's namespace is taken to be {ns} (the Gateway's); exportTo is checked against it.");
            }
        }

        var candidates = new List<(VirtualServiceView Vs, HostPattern Domain, int Tier, int Order)>();
        var ordered = (covering ?? snapshot.Of(ResourceKind.VirtualService))
            .OrderBy(CreationTime).ThenBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.Namespace, StringComparer.Ordinal)
            .Select(VirtualServiceView.From).ToList();
        for (var order = 0; order < ordered.Count; order++)
        {
            var vs = ordered[order];
            var domains = Domains(vs, gateway).Where(d => d.Covers(request.Host)).ToList();
            if (domains.Count == 0)
            {
                continue;
            }
            var id = $"VirtualService {vs.Namespace}/{vs.Name}";
            var bound = vs.Gateways.IsEmpty ? ["mesh"] : vs.Gateways.Select(g => GatewayNames.Resolve(g, vs.Namespace)).ToList();
            if (!bound.Contains(request.Where))
            {
                lines.Add($"{id} covers {request.Host} but is bound to [{string.Join(", ", bound)}], not {request.Where}: skipped.");
                continue;
            }
            if (Tier(vs, callerNamespace) is not { } tier)
            {
                lines.Add($"{id} covers {request.Host} but its exportTo [{string.Join(", ", vs.Source.Spec.Strings("exportTo"))}] hides it from namespace {callerNamespace ?? "(unknown)"}: skipped.");
                continue;
            }
            candidates.Add((vs, domains.MaxBy(d => d.Specificity)!, tier, order));
        }
        if (candidates.Count == 0)
        {
            return None;
        }

        var best = candidates.Max(c => c.Domain.Specificity);
        var winners = candidates.Where(c => c.Domain.Specificity == best).OrderBy(c => c.Tier).ThenBy(c => c.Order).ToList();
        foreach (var loser in candidates.Where(c => c.Domain.Specificity != best))
        {
            lines.Add($"VirtualService {loser.Vs.Namespace}/{loser.Vs.Name} covers {request.Host} by {loser.Domain.Text}, but {winners[0].Domain.Text} is more specific: not used.");
        }
        if (request.Where == "mesh")
        {
            var winner = winners[0];
            lines.Add($"VirtualService {winner.Vs.Namespace}/{winner.Vs.Name} applies: host {winner.Domain.Text} covers {request.Host} ({TierName(winner.Tier)}).");
            foreach (var duplicate in winners.Skip(1))
            {
                lines.Add($"VirtualService {duplicate.Vs.Namespace}/{duplicate.Vs.Name} declares the same host but comes later ({TierName(duplicate.Tier)}, created later or named after): a sidecar drops the duplicate.");
            }
            return new VirtualServiceSelection(null, [winner.Vs], RulesOf(winner.Vs));
        }
        foreach (var winner in winners)
        {
            lines.Add($"VirtualService {winner.Vs.Namespace}/{winner.Vs.Name} applies at {request.Where}: host {winner.Domain.Text} covers {request.Host}{(winners.Count > 1 ? " (the gateway appends the rules of every VirtualService for this host, oldest first)" : "")}.");
        }
        return new VirtualServiceSelection(null, [.. winners.Select(w => w.Vs)], [.. winners.SelectMany(w => RulesOf(w.Vs))]);
    }

    private static ImmutableArray<(VirtualServiceView, JsonObject, int)> RulesOf(VirtualServiceView vs) =>
        [.. (vs.Source.Spec.Arr("http") ?? []).Select((r, i) => (vs, r as JsonObject ?? [], i))];

    /// <summary>0 = private to the caller's namespace, 1 = exported to it, 2 = public; null = not visible.</summary>
    private static int? Tier(VirtualServiceView vs, string? callerNamespace)
    {
        var exportTo = vs.Source.Spec.Strings("exportTo");
        if (exportTo.Count == 0 || exportTo.Contains("*"))
        {
            return 2;
        }
        if (exportTo.Contains("~") || callerNamespace is null)
        {
            return null;
        }
        var namespaces = exportTo.Select(e => e == "." ? vs.Namespace : e).ToHashSet(StringComparer.Ordinal);
        return !namespaces.Contains(callerNamespace) ? null : callerNamespace == vs.Namespace ? 0 : 1;
    }

    private static string TierName(int tier) => tier switch
    {
        0 => "exported to its own namespace, the caller's",
        1 => "exported to the caller's namespace",
        _ => "exported to all namespaces",
    };

    /// <summary>
    /// The virtual host domains a VirtualService contributes: its resolved hosts for sidecars; at a gateway, each host
    /// intersected with the server hosts the gateway admits for the VirtualService's namespace (the more specific of two
    /// overlapping names).
    /// </summary>
    private static IEnumerable<HostPattern> Domains(VirtualServiceView vs, GatewayView? gateway)
    {
        var hosts = vs.Hosts.Select(h => new HostPattern(HostNames.Resolve(h, vs.Namespace).ToLowerInvariant())).ToList();
        if (gateway is null)
        {
            return hosts;
        }
        var serverHosts = gateway.Servers.SelectMany(s => s.Hosts).Select(h => ServerHost(h, gateway.Namespace))
            .Where(h => h.Namespace is "*" || h.Namespace == vs.Namespace).Select(h => h.Host).ToList();
        return hosts.SelectMany(h => serverHosts.Where(s => s.Overlaps(h)).Select(s => s.Specificity >= h.Specificity ? s : h)).Distinct();
    }

    private static HostPattern HostOf(string serverHost) => ServerHost(serverHost, "").Host;

    /// <summary>A Gateway server host is <c>ns/host</c>, <c>./host</c> (the Gateway's namespace), <c>*/host</c> or <c>host</c> (= <c>*/host</c>).</summary>
    private static (string Namespace, HostPattern Host) ServerHost(string serverHost, string gatewayNamespace)
    {
        var slash = serverHost.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return ("*", new HostPattern(serverHost.ToLowerInvariant()));
        }
        var ns = serverHost[..slash];
        return (ns == "." ? gatewayNamespace : ns, new HostPattern(serverHost[(slash + 1)..].ToLowerInvariant()));
    }

    private static DateTimeOffset CreationTime(KubeObject vs) =>
        DateTimeOffset.TryParse(vs.Raw["metadata"].Str("creationTimestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : DateTimeOffset.MinValue;
}

/// <summary>A host name or wildcard (<c>*.example.com</c>, <c>*</c>) with Istio's matching (pkg/config/host/name.go).</summary>
internal sealed record HostPattern(string Text)
{
    public bool IsWildcard => Text.StartsWith('*');

    /// <summary>Exact names rank above every wildcard; longer wildcards above shorter.</summary>
    public int Specificity => IsWildcard ? Text.Length : 100_000 + Text.Length;

    public bool Covers(string host) => IsWildcard ? host.EndsWith(Text[1..], StringComparison.Ordinal) : Text == host;

    /// <summary>Whether two patterns have a name in common (host.Name.Matches).</summary>
    public bool Overlaps(HostPattern other) => (IsWildcard, other.IsWildcard) switch
    {
        (true, true) => Text.Length < other.Text.Length ? other.Text[1..].EndsWith(Text[1..], StringComparison.Ordinal) : Text[1..].EndsWith(other.Text[1..], StringComparison.Ordinal),
        (true, false) => Covers(other.Text),
        (false, true) => other.Covers(Text),
        _ => Text == other.Text,
    };
}
