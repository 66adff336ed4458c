using System.Text.Json.Nodes;

namespace MeshDashboard.Sandbox.Crds;

/// <summary>
/// The CustomResourceDefinitions the sandbox installs when they are missing: Istio's networking kinds and Argo Rollouts'
/// Rollout. The manifests are ours, written from Istio's API reference (istio/api networking/v1alpha3/*.proto and
/// kubernetes/customresourcedefinitions.gen.yaml) and Argo Rollouts' CRD; applying them with kubectl works as well.
/// </summary>
public static class BundledDefinitions
{
    public static IReadOnlyList<JsonObject> Load()
    {
        var assembly = typeof(BundledDefinitions).Assembly;
        var definitions = new List<JsonObject>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Crds.", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            definitions.AddRange(YamlJson.ParseDocuments(reader.ReadToEnd()).OfType<JsonObject>());
        }
        return definitions;
    }
}
