using System.Text.Json.Nodes;
using MeshDashboard.Sandbox;
using MeshDashboard.Testing;

namespace MeshDashboard.Tests.Deployment;

/// <summary>
/// No Docker engine runs where the tests run, so the compose file is checked for what it references:
/// the Dockerfile, the scripts and manifests it mounts, pinned images, and the dashboard's cluster mode.
/// </summary>
public sealed class DockerComposeTests
{
    private static readonly JsonObject Compose = (JsonObject)YamlJson.ParseDocuments(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docker-compose.yml")))[0]!;

    private static JsonObject Services => (JsonObject)Compose["services"]!;

    [Fact]
    public void EveryBuild_HasItsDockerfile()
    {
        foreach (var (name, service) in Services)
        {
            if (service?["build"] is JsonObject build)
            {
                var context = Path.Combine(RepositoryPaths.Root, (string?)build["context"] ?? ".");
                Assert.True(File.Exists(Path.Combine(context, (string?)build["dockerfile"] ?? "Dockerfile")), $"{name}: Dockerfile missing");
            }
        }
    }

    [Fact]
    public void EveryMountedFolderAndScript_Exists()
    {
        foreach (var (name, service) in Services)
        {
            var mounts = (service?["volumes"] as JsonArray ?? []).Select(v => ((string)v!).Split(':')).Where(p => p[0].StartsWith("./", StringComparison.Ordinal)).ToList();
            foreach (var mount in mounts)
            {
                Assert.True(Directory.Exists(Path.Combine(RepositoryPaths.Root, mount[0])), $"{name}: {mount[0]} missing");
            }
            // A script named in the entrypoint must be inside one of the mounted folders.
            foreach (var script in (service?["entrypoint"] as JsonArray ?? []).Select(e => (string)e!).Where(e => e.EndsWith(".sh", StringComparison.Ordinal)))
            {
                var mount = mounts.Single(m => script.StartsWith(m[1] + "/", StringComparison.Ordinal));
                Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, mount[0], script[(mount[1].Length + 1)..])), $"{name}: {script} missing");
            }
        }
    }

    [Fact]
    public void TheDemoScript_AppliesManifestsThatExist()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "compose", "apply-demo.sh"));
        var manifests = script.Split(' ', '\n').Where(w => w.StartsWith("/deploy/", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(manifests);
        Assert.All(manifests, m => Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, m[1..])), $"{m} missing"));
    }

    [Fact]
    public void Images_ArePinnedToAVersion()
    {
        foreach (var (name, service) in Services)
        {
            if (service?["image"] is JsonValue image)
            {
                var reference = (string)image!;
                Assert.Contains(":", reference);
                Assert.False(reference.EndsWith(":latest", StringComparison.Ordinal), $"{name} uses :latest");
            }
        }
    }

    [Fact]
    public void Dashboard_ListensOnAllInterfacesOnlyWithSignIn_AndItsDemoAccountWorks()
    {
        var environment = Services["dashboard"]!["environment"]!;
        var hash = ((string)environment["Auth__Local__0__PasswordHash"]!).Replace("$$", "$", StringComparison.Ordinal);

        Assert.NotEqual("None", (string?)environment["Auth__Mode"]);
        Assert.True(Authentication.PasswordHashing.Verify("change-me-demo", hash));
    }

    [Fact]
    public void Dashboard_RunsInKubeconfigModeAfterTheDemoMeshIsApplied()
    {
        var dashboard = Services["dashboard"]!;

        Assert.Equal("Kubeconfig", (string?)dashboard["environment"]!["Cluster__Mode"]);
        Assert.NotNull(dashboard["depends_on"]!["demo-mesh"]);
        Assert.All(Services.Select(s => s.Value?["depends_on"] as JsonObject).OfType<JsonObject>().SelectMany(d => d.Select(p => p.Key)),
            dependency => Assert.True(Services.ContainsKey(dependency), $"unknown service {dependency}"));
    }
}
