using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Analysis;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using static MeshDashboard.Mesh.Tests.TestMesh;

namespace MeshDashboard.Mesh.Tests.Catalog;

/// <summary>
/// A catalog derived event by event (<see cref="MeshCatalog.Next"/>) must equal the catalog built from nothing for the
/// same snapshot: every service's picture and findings, and the mesh's findings. A seeded sequence of edits of every
/// kind the catalog reads (pod readiness and labels, Services, DestinationRules, VirtualServices with hosts shared across
/// namespaces, mirrors and gateways, Gateways) is applied one at a time and both catalogs compared after each.
/// </summary>
public class IncrementalCatalogTests
{
    private static readonly string[] Namespaces = ["shop", "pay"];
    private static readonly string[] Apps = ["cart", "web", "api"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EventByEvent_EqualsBuiltFromNothing(int seed)
    {
        var random = new Random(seed);
        var snapshot = InitialMesh();
        var catalog = MeshCatalog.Build(snapshot);

        for (var step = 0; step < 250; step++)
        {
            var (next, changed, what) = RandomEdit(snapshot, random, step);
            var derived = catalog.Next(next, changed);
            var built = MeshCatalog.Build(next);

            Assert.True(Describe(built) == Describe(derived), $"seed {seed}, step {step} ({what}):\n{FirstDifference(Describe(built), Describe(derived))}");
            snapshot = next;
            catalog = derived;
        }
    }

    [Fact]
    public void AServiceNoEventTouches_IsTheSameObject()
    {
        var snapshot = InitialMesh();
        var catalog = MeshCatalog.Build(snapshot);
        var pod = snapshot.Of(ResourceKind.Pod).First(p => p.Namespace == "shop" && p.Labels["app"] == "cart");

        var next = catalog.Next(snapshot.With(WithReady(pod, false)), [pod.Ref]);

        Assert.Same(catalog.Find("pay", "web"), next.Find("pay", "web"));
        Assert.NotSame(catalog.Find("shop", "cart"), next.Find("shop", "cart"));
        Assert.Equal(catalog.Find("shop", "cart")!.ReadyPods - 1, next.Find("shop", "cart")!.ReadyPods);
    }

    [Fact]
    public void NotKnowingWhatChanged_BuildsFromNothing()
    {
        var snapshot = InitialMesh();
        var catalog = MeshCatalog.Build(snapshot);
        var without = snapshot.Without(Svc("shop", "web"));

        Assert.Null(catalog.Next(without, changed: null).Find("shop", "web"));
    }

    private static MeshSnapshot InitialMesh()
    {
        var objects = new List<KubeObject>();
        foreach (var ns in Namespaces)
        {
            foreach (var app in Apps)
            {
                objects.Add(Service(ns, app));
                objects.Add(NamedPod(ns, app, "v1", 0, ready: true));
                objects.Add(NamedPod(ns, app, "v2", 1, ready: true));
                objects.Add(Dr(ns, app, SubsetsSpec(app, ["v1", "v2"])));
                objects.Add(Vs(ns, app, WeightedSpec(app, 80, 20)));
            }
            objects.Add(Gateway(ns, "edge", """{"selector": {"istio": "ingressgateway"}, "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}"""));
        }
        // Shared and cross-namespace references: a public VirtualService on a gateway, a second one for the same host
        // (a duplicate), a route from pay to shop's cart, and a mirror.
        objects.Add(Vs("shop", "public", """{"hosts": ["shop.example.com"], "gateways": ["edge"], "http": [{"route": [{"destination": {"host": "web", "subset": "v1"}}]}]}"""));
        objects.Add(Vs("shop", "cart-extra", """{"hosts": ["cart"], "http": [{"route": [{"destination": {"host": "cart", "subset": "v3"}}]}]}"""));
        objects.Add(Vs("pay", "to-cart", """{"hosts": ["pay.example.com"], "gateways": ["pay/edge", "mesh"], "http": [{"mirror": {"host": "api.shop.svc.cluster.local", "subset": "v2"}, "route": [{"destination": {"host": "cart.shop.svc.cluster.local", "subset": "v1"}}]}]}"""));
        return Snapshot([.. objects]);
    }

    private static (MeshSnapshot Next, IReadOnlyCollection<ObjectRef> Changed, string What) RandomEdit(MeshSnapshot snapshot, Random random, int step)
    {
        var ns = Namespaces[random.Next(Namespaces.Length)];
        var app = Apps[random.Next(Apps.Length)];
        switch (random.Next(12))
        {
            case 0:
            case 1:
            {
                var pods = snapshot.Of(ResourceKind.Pod).ToList();
                if (pods.Count == 0)
                {
                    goto default;
                }
                var pod = pods[random.Next(pods.Count)];
                return (snapshot.With(WithReady(pod, !MeshIndex.IsReady(pod))), [pod.Ref], $"flip readiness of {pod.Ref}");
            }
            case 2:
            {
                var pod = NamedPod(ns, app, random.Next(2) == 0 ? "v2" : "v3", random.Next(3), ready: random.Next(2) == 0);
                return (snapshot.With(pod), [pod.Ref], $"put pod {pod.Ref} ({pod.Labels["version"]})");
            }
            case 3:
            {
                var pods = snapshot.Of(ResourceKind.Pod).ToList();
                if (pods.Count == 0)
                {
                    goto default;
                }
                var pod = pods[random.Next(pods.Count)];
                return (snapshot.Without(pod.Ref), [pod.Ref], $"delete pod {pod.Ref}");
            }
            case 4:
            {
                var service = Svc(ns, app);
                return snapshot.Find(service) is null
                    ? (snapshot.With(Service(ns, app)), [service], $"create {service}")
                    : (snapshot.Without(service), [service], $"delete {service}");
            }
            case 5:
            {
                var dr = new ObjectRef(ResourceKind.DestinationRule, ns, app);
                if (snapshot.Find(dr) is not null && random.Next(3) == 0)
                {
                    return (snapshot.Without(dr), [dr], $"delete {dr}");
                }
                string[] subsets = random.Next(2) == 0 ? ["v1", "v2"] : ["v1", "v2", "v3"];
                return (snapshot.With(Dr(ns, app, SubsetsSpec(app, subsets))), [dr], $"put {dr} with {subsets.Length} subsets");
            }
            case 6:
            {
                var weight = random.Next(0, 101);
                var vs = Vs(ns, app, WeightedSpec(app, weight, random.Next(4) == 0 ? 50 : 100 - weight));
                return (snapshot.With(vs), [vs.Ref], $"weights of {vs.Ref}");
            }
            case 7:
            {
                // A VirtualService moves to another host (and back): both the old and the new host's services change.
                var other = Apps[random.Next(Apps.Length)];
                var vs = Vs(ns, "cart-extra", """{"hosts": ["OTHER"], "http": [{"match": [{"headers": {"end-user": {"exact": "x"}}}], "route": [{"destination": {"host": "OTHER", "subset": "v2"}}]}]}""".Replace("OTHER", other, StringComparison.Ordinal));
                return (snapshot.With(vs), [vs.Ref], $"cart-extra in {ns} now for {other}");
            }
            case 8:
            {
                var gateway = new ObjectRef(ResourceKind.Gateway, ns, "edge");
                return snapshot.Find(gateway) is null
                    ? (snapshot.With(Gateway(ns, "edge", """{"selector": {"istio": "ingressgateway"}, "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["*"]}]}""")), [gateway], $"create {gateway}")
                    : (snapshot.Without(gateway), [gateway], $"delete {gateway}");
            }
            case 9:
            {
                var vs = new ObjectRef(ResourceKind.VirtualService, ns, app);
                return snapshot.Find(vs) is null
                    ? (snapshot.With(Vs(ns, app, WeightedSpec(app, 50, 50))), [vs], $"create {vs}")
                    : (snapshot.Without(vs), [vs], $"delete {vs}");
            }
            case 10:
            {
                // Several objects in one step, as a relist or a burst of events delivers them.
                var pod = NamedPod(ns, app, "v1", 0, ready: random.Next(2) == 0);
                var dr = Dr(ns, app, SubsetsSpec(app, ["v1"]));
                return (snapshot.With(pod).With(dr), [pod.Ref, dr.Ref], $"pod and DestinationRule of {app} in {ns}");
            }
            case 11:
            {
                var mirrored = Apps[random.Next(Apps.Length)];
                var vs = Vs("pay", "to-cart", """{"hosts": ["pay.example.com"], "gateways": ["pay/edge", "mesh"], "http": [{"mirror": {"host": "MIRRORED.shop.svc.cluster.local", "subset": "v2"}, "route": [{"destination": {"host": "cart.shop.svc.cluster.local", "subset": "v1"}}]}]}""".Replace("MIRRORED", mirrored, StringComparison.Ordinal));
                return (snapshot.With(vs), [vs.Ref], $"mirror to {mirrored}");
            }
            default:
                return (snapshot, [], $"nothing at step {step}");
        }
    }

    private static string SubsetsSpec(string app, string[] subsets) =>
        """{"host": "APP", "subsets": [SUBSETS]}""".Replace("APP", app, StringComparison.Ordinal).Replace("SUBSETS", string.Join(", ", subsets.Select(s => """{"name": "S", "labels": {"version": "S"}}""".Replace("S", s, StringComparison.Ordinal))), StringComparison.Ordinal);

    private static string WeightedSpec(string app, int v1, int v2) =>
        $$"""{"hosts": ["{{app}}"], "http": [{"route": [{"destination": {"host": "{{app}}", "subset": "v1"}, "weight": {{v1}}}, {"destination": {"host": "{{app}}", "subset": "v2"}, "weight": {{v2}}}]}]}""";

    private static KubeObject NamedPod(string ns, string app, string version, int ordinal, bool ready)
    {
        var pod = Pod(ns, app, version, ready: ready);
        var raw = (JsonObject)pod.Raw.DeepClone();
        raw["metadata"]!["name"] = $"{app}-{ordinal}";
        raw["metadata"]!["resourceVersion"] = "1";
        return new KubeObject(ResourceKind.Pod, raw);
    }

    private static KubeObject WithReady(KubeObject pod, bool ready)
    {
        var raw = (JsonObject)pod.Raw.DeepClone();
        raw["status"] = JsonNode.Parse($$"""{"conditions": [{"type": "Ready", "status": "{{(ready ? "True" : "False")}}"}]}""");
        return new KubeObject(ResourceKind.Pod, raw);
    }

    /// <summary>Everything a page or the API reads from a catalog, as text (records holding arrays compare by reference).</summary>
    private static string Describe(MeshCatalog catalog)
    {
        var text = new StringBuilder();
        foreach (var s in catalog.Services)
        {
            text.AppendLine($"service {s.Namespace}/{s.Name} pods {s.ReadyPods}/{s.Pods} traits {s.Traits} managed {s.ManagedBy}");
            foreach (var subset in s.Subsets)
            {
                text.AppendLine($"  subset {subset.Name} of {subset.DestinationRule}: {subset.ReadyPods}/{subset.Pods}");
            }
            foreach (var dr in s.DestinationRules)
            {
                text.AppendLine($"  dr {dr.Source.Ref}@{dr.Source.ResourceVersion}");
            }
            foreach (var route in s.Routes)
            {
                text.AppendLine($"  route {route.VirtualService.Source.Ref} own {route.ServesOwnHost} rules {route.Rules.Length}: {route.Summary}");
            }
            foreach (var gateway in s.Gateways)
            {
                text.AppendLine($"  gateway {gateway.Namespace}/{gateway.Name}");
            }
            foreach (var finding in s.Findings)
            {
                text.AppendLine($"  finding {Line(finding)}");
            }
        }
        foreach (var finding in catalog.Findings)
        {
            text.AppendLine($"mesh finding {Line(finding)}");
        }
        return text.ToString();
    }

    private static string Line(Finding f) => $"{f.Code} {f.Severity} {f.Object} {f.Field}: {f.Message}";

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : "<end>";
            var right = i < a.Length ? a[i] : "<end>";
            if (left != right)
            {
                return $"line {i}: built  : {left}\n         derived: {right}";
            }
        }
        return "no difference";
    }
}
