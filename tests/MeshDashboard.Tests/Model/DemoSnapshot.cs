using System.Text.Json.Nodes;
using MeshDashboard.Mesh.Catalog;
using MeshDashboard.Mesh.Kubernetes;
using MeshDashboard.Sandbox.DemoMesh;

namespace MeshDashboard.Tests.Model;

/// <summary>The demo mesh as a snapshot: bookinfo/reviews (dark launch) and myapp/myapp (canary, blue/green).</summary>
internal static class DemoSnapshot
{
    public static readonly ObjectRef Reviews = new(ResourceKind.Service, "bookinfo", "reviews");

    public static readonly ObjectRef MyApp = new(ResourceKind.Service, "myapp", "myapp");

    public static MeshSnapshot Build(Func<JsonObject, JsonObject>? edit = null) =>
        MeshSnapshot.From(DemoMeshSeeder.Manifest().Select(o =>
        {
            var copy = (JsonObject)o.DeepClone();
            var metadata = copy["metadata"] as JsonObject ?? [];
            copy["metadata"] = metadata;
            metadata["resourceVersion"] ??= "1";
            return new KubeObject(KindOf((string)copy["kind"]!), edit?.Invoke(copy) ?? copy);
        }));

    public static MeshService Service(MeshSnapshot snapshot, ObjectRef service) =>
        ServiceCatalog.Build(snapshot).Single(s => s.Namespace == service.Namespace && s.Name == service.Name);

    public static MeshService Service(ObjectRef service) => Service(Build(), service);

    private static ResourceKind KindOf(string kind) => Enum.Parse<ResourceKind>(kind);
}
