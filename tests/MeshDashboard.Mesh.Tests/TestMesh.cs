using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Mesh.Operations;

namespace MeshDashboard.Mesh.Tests;

/// <summary>Builds snapshots from JSON written in the tests: plain objects, no mocks.</summary>
internal static class TestMesh
{
    public static KubeObject Obj(ResourceKind kind, string ns, string name, string spec, string? metadataExtra = null)
    {
        var metadata = (JsonObject)JsonNode.Parse(metadataExtra ?? "{}")!;
        metadata["name"] = name;
        metadata["namespace"] = ns;
        metadata["resourceVersion"] ??= "100";
        metadata["uid"] ??= $"uid-{name}";
        var raw = new JsonObject
        {
            ["apiVersion"] = kind.ApiVersion(),
            ["kind"] = kind.ToString(),
            ["metadata"] = metadata,
            ["spec"] = JsonNode.Parse(spec),
        };
        return new KubeObject(kind, raw);
    }

    public static KubeObject Service(string ns, string name) =>
        Obj(ResourceKind.Service, ns, name, $$"""{"selector": {"app": "{{name}}"}, "ports": [{"name": "http", "port": 9080}]}""");

    public static KubeObject Pod(string ns, string app, string version, string labelKey = "version", bool ready = true)
    {
        var raw = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{app}-{version}-{Guid.NewGuid():N}",
                ["namespace"] = ns,
                ["labels"] = new JsonObject { ["app"] = app, [labelKey] = version },
            },
            ["spec"] = new JsonObject(),
            ["status"] = JsonNode.Parse(ready ? """{"conditions": [{"type": "Ready", "status": "True"}]}""" : """{"conditions": [{"type": "Ready", "status": "False"}]}"""),
        };
        return new KubeObject(ResourceKind.Pod, raw);
    }

    public static KubeObject Dr(string ns, string name, string spec, string? metadata = null) => Obj(ResourceKind.DestinationRule, ns, name, spec, metadata);

    public static KubeObject Vs(string ns, string name, string spec, string? metadata = null) => Obj(ResourceKind.VirtualService, ns, name, spec, metadata);

    public static KubeObject Gateway(string ns, string name, string spec) => Obj(ResourceKind.Gateway, ns, name, spec);

    public static MeshSnapshot Snapshot(params KubeObject[] objects) => MeshSnapshot.From(objects);

    public static ObjectRef Svc(string ns, string name) => new(ResourceKind.Service, ns, name);

    public static readonly ObjectRef Reviews = Svc("bookinfo", "reviews");

    public static readonly ObjectRef MyApp = Svc("myapp", "myapp");

    public const string ReviewsDr = """
        {
          "host": "reviews",
          "exportTo": ["."],
          "trafficPolicy": {"portLevelSettings": [{"port": {"number": 9080}, "loadBalancer": {"simple": "RANDOM"}}]},
          "subsets": [
            {"name": "v1", "labels": {"version": "v1"}},
            {"name": "v2", "labels": {"version": "v2"}},
            {"name": "v3", "labels": {"version": "v3"}}
          ]
        }
        """;

    /// <summary>The dark launch of the demo, plus fields we do not model on every rule.</summary>
    public const string ReviewsVs = """
        {
          "hosts": ["reviews"],
          "exportTo": ["."],
          "http": [
            {
              "name": "tester",
              "match": [{"headers": {"end-user": {"exact": "tester"}}}],
              "fault": {"abort": {"percentage": {"value": 50}, "httpStatus": 503}},
              "route": [{"destination": {"host": "reviews", "subset": "v2"}}],
              "mirror": {"host": "reviews-shadow"}
            },
            {
              "name": "legacy",
              "match": [{"uri": {"prefix": "/old"}}],
              "redirect": {"uri": "/new"}
            },
            {
              "name": "default",
              "route": [{"destination": {"host": "reviews", "subset": "v1", "port": {"number": 9080}}, "headers": {"request": {"set": {"x-route": "default"}}}}],
              "retries": {"attempts": 3, "perTryTimeout": "2s"},
              "timeout": "10s",
              "corsPolicy": {"allowOrigins": [{"exact": "https://example.com"}]},
              "headers": {"response": {"add": {"x-served-by": "mesh"}}}
            }
          ]
        }
        """;

    public const string Meta = """{"labels": {"team": "books"}, "annotations": {"note": "keep me"}}""";

    public static MeshSnapshot Bookinfo(string? vs = ReviewsVs, string? dr = ReviewsDr)
    {
        var objects = new List<KubeObject>
        {
            Service("bookinfo", "reviews"),
            Pod("bookinfo", "reviews", "v1"),
            Pod("bookinfo", "reviews", "v2"),
            Pod("bookinfo", "reviews", "v3"),
        };
        if (dr is not null)
        {
            objects.Add(Dr("bookinfo", "reviews", dr, Meta));
        }
        if (vs is not null)
        {
            objects.Add(Vs("bookinfo", "reviews", vs, Meta));
        }
        return MeshSnapshot.From(objects);
    }

    /// <summary>The demo's blue/green app: public host on v2, preview host on v1, a 25/75 mesh canary.</summary>
    public static MeshSnapshot MyAppDemo() => Snapshot(
        Service("myapp", "myapp"),
        Pod("myapp", "myapp", "v1"),
        Pod("myapp", "myapp", "v2"),
        Gateway("myapp", "myapp-gateway", """
            {"selector": {"istio": "ingressgateway"},
             "servers": [{"port": {"number": 80, "name": "http", "protocol": "HTTP"}, "hosts": ["myapp.example.com", "test.myapp.example.com"]}]}
            """),
        Dr("myapp", "myapp", """
            {"host": "myapp", "trafficPolicy": {"tls": {"mode": "ISTIO_MUTUAL"}},
             "subsets": [
               {"name": "v1", "labels": {"version": "v1"}},
               {"name": "v2", "labels": {"version": "v2"},
                "trafficPolicy": {"outlierDetection": {"consecutiveErrors": 7, "interval": "5m", "baseEjectionTime": "15m"}}}]}
            """),
        Vs("myapp", "myapp-public", """
            {"hosts": ["myapp.example.com"], "gateways": ["myapp-gateway"],
             "http": [{"name": "live", "route": [{"destination": {"host": "myapp", "subset": "v2"}}], "timeout": "5s"}]}
            """),
        Vs("myapp", "myapp-preview", """
            {"hosts": ["test.myapp.example.com"], "gateways": ["myapp-gateway"],
             "http": [{"name": "preview", "route": [{"destination": {"host": "myapp", "subset": "v1"}}]}]}
            """),
        Vs("myapp", "myapp", """
            {"hosts": ["myapp"],
             "http": [{"name": "canary", "route": [
               {"destination": {"host": "myapp", "subset": "v1"}, "weight": 25},
               {"destination": {"host": "myapp", "subset": "v2"}, "weight": 75}]}]}
            """));

    public static JsonNode? At(this JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            var name = bracket < 0 ? part : part[..bracket];
            if (name.Length > 0)
            {
                node = node?[name];
            }
            if (bracket >= 0)
            {
                node = node?[int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)];
            }
        }
        return node;
    }

    public static ObjectChange Single(this ChangePlan plan) => Assert.Single(plan.Changes);

    public static KubeObject Applied(this ObjectChange change) => new(change.Target.Kind, change.After!);

    /// <summary>The snapshot as it would be after the plan was written.</summary>
    public static MeshSnapshot Apply(this MeshSnapshot snapshot, ChangePlan plan)
    {
        foreach (var change in plan.Changes)
        {
            snapshot = change.After is null ? snapshot.Without(change.Target) : snapshot.With(new KubeObject(change.Target.Kind, change.After));
        }
        return snapshot;
    }

    public static string Json(this JsonNode? node) => node?.ToJsonString() ?? "null";

    /// <summary>Asserts the plan fails and returns the fields named.</summary>
    public static IReadOnlyList<FieldError> Fails(ITrafficOperation operation, MeshSnapshot snapshot) =>
        Assert.Throws<OperationException>(() => operation.Plan(snapshot)).Errors;

    public static void FailsOn(ITrafficOperation operation, MeshSnapshot snapshot, string field, string? messagePart = null)
    {
        var errors = Fails(operation, snapshot);
        Assert.Contains(errors, e => e.Field == field && (messagePart is null || e.Message.Contains(messagePart, StringComparison.OrdinalIgnoreCase)));
    }
}
