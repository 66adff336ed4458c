using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace MeshDashboard.Cluster.Connection;

/// <summary>
/// Reads a kubeconfig file into KubernetesClient's own model with a YamlDotNet deserializer made for that model alone,
/// then lets KubernetesClient build the client configuration from it (<see cref="KubernetesClientConfiguration.BuildConfigFromConfigObject"/>):
/// contexts, clusters, credentials, exec plugins and paths relative to the file are resolved by the library, as before.
/// </summary>
/// <remarks>
/// <see cref="KubernetesClientConfiguration.BuildConfigFromConfigFile(string, string, string, bool)"/> reads the file
/// through <c>KubernetesYaml</c>, whose first use builds two deserializers and a serializer configured for every model
/// type in the library and scans the library's types for their API names: 0.75 s of CPU on the start's path before the
/// first list request (perf, at start), where this reading takes about 0.2 s. Nothing else in the dashboard uses
/// <c>KubernetesYaml</c>.
/// </remarks>
internal static class KubeconfigFile
{
    // The model's properties all carry their kubeconfig names (YamlMember aliases); the camel-case convention is the
    // library's, for any that do not.
    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    /// <param name="path">The file; the library's default location (<c>~/.kube/config</c>) when null.</param>
    /// <param name="context">The context to use instead of the file's current one, when given.</param>
    public static KubernetesClientConfiguration Load(string? path, string? context)
    {
        var file = new FileInfo(path ?? KubernetesClientConfiguration.KubeConfigDefaultLocation);
        if (!file.Exists)
        {
            throw new KubeConfigException($"kubeconfig file not found at {file.FullName}");
        }
        K8SConfiguration config;
        using (var reader = file.OpenText())
        {
            config = Deserializer.Deserialize<K8SConfiguration?>(reader) ?? new K8SConfiguration();
        }
        // Certificate and key paths in the file are relative to it, as kubectl reads them.
        config.FileName = file.FullName;
        return KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context);
    }
}
