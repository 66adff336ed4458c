using System.Globalization;
using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;

namespace MeshDashboard.Benchmarks;

/// <summary>
/// A mesh the size Kiali users report trouble with (thousands of services): each service has two versions of
/// pods, a DestinationRule with two subsets and a VirtualService with a canary.
/// </summary>
public static class LargeMesh
{
    public static MeshSnapshot Build(int services, int namespaces = 40)
    {
        var objects = new List<KubeObject>();
        for (var n = 0; n < namespaces; n++)
        {
            objects.Add(Obj(ResourceKind.Namespace, $$$$"""{"metadata":{"name":"team-{{{{n}}}}"}}"""));
        }
        for (var i = 0; i < services; i++)
        {
            var ns = $"team-{i % namespaces}";
            var name = $"svc-{i.ToString(CultureInfo.InvariantCulture)}";
            objects.Add(Obj(ResourceKind.Service, $$$$"""{"metadata":{"name":"{{{{name}}}}","namespace":"{{{{ns}}}}"},"spec":{"selector":{"app":"{{{{name}}}}"}}}"""));
            foreach (var version in new[] { "v1", "v2" })
            {
                for (var p = 0; p < 2; p++)
                {
                    objects.Add(Obj(ResourceKind.Pod, $$$$"""{"metadata":{"name":"{{{{name}}}}-{{{{version}}}}-{{{{p}}}}","namespace":"{{{{ns}}}}","labels":{"app":"{{{{name}}}}","version":"{{{{version}}}}"}},"status":{"conditions":[{"type":"Ready","status":"True"}]}}"""));
                }
            }
            objects.Add(Obj(ResourceKind.DestinationRule, $$$$"""{"metadata":{"name":"{{{{name}}}}","namespace":"{{{{ns}}}}"},"spec":{"host":"{{{{name}}}}","subsets":[{"name":"v1","labels":{"version":"v1"}},{"name":"v2","labels":{"version":"v2"}}]}}"""));
            objects.Add(Obj(ResourceKind.VirtualService, $$$$"""{"metadata":{"name":"{{{{name}}}}","namespace":"{{{{ns}}}}"},"spec":{"hosts":["{{{{name}}}}"],"http":[{"name":"canary","route":[{"destination":{"host":"{{{{name}}}}","subset":"v1"},"weight":90},{"destination":{"host":"{{{{name}}}}","subset":"v2"},"weight":10}]}]}}"""));
        }
        return MeshSnapshot.From(objects);
    }

    private static KubeObject Obj(ResourceKind kind, string json) => new(kind, (JsonObject)JsonNode.Parse(json)!);
}
