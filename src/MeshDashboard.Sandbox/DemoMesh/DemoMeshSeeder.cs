using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Storage;

namespace MeshDashboard.Sandbox.DemoMesh;

/// <summary>
/// Fills an empty sandbox with the demo mesh through the store's own write path, so every seeded object
/// passes the same admission as any client's. Pod status goes through the status subresource, as a kubelet's would.
/// </summary>
public static class DemoMeshSeeder
{
    public static IReadOnlyList<JsonObject> Manifest()
    {
        var assembly = typeof(DemoMeshSeeder).Assembly;
        var documents = new List<JsonObject>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("DemoMesh.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            documents.AddRange(YamlJson.ParseDocuments(reader.ReadToEnd()).OfType<JsonObject>());
        }
        return documents.Count > 0 ? documents : throw new InvalidOperationException("The demo mesh manifests are missing from the assembly.");
    }

    public static void Seed(ObjectStore store)
    {
        foreach (var document in Manifest())
        {
            var apiVersion = (string)document["apiVersion"]!;
            var (group, version) = apiVersion.Contains('/', StringComparison.Ordinal)
                ? (apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)], apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..])
                : ("", apiVersion);
            var kind = (string)document["kind"]!;
            var type = store.Types.FindKind(group, version, kind) ?? throw new InvalidOperationException($"The demo mesh has a {kind} ({apiVersion}) the sandbox does not serve.");
            var ns = type.Namespaced ? (string?)document["metadata"]?["namespace"] ?? "default" : "";
            var status = document["status"]?.DeepClone();

            var created = store.Create(type, ns, document, WriteOptions.Default);
            if (status is not null && StatusSubresource.Has(type))
            {
                var withStatus = created.Parse();
                withStatus["status"] = status;
                store.Update(type, ns, created.Name, withStatus, WriteOptions.Default, statusOnly: true);
            }
        }
    }
}
