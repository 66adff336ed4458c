using MeshDashboard.Testing;

namespace MeshDashboard.Tests.Deployment;

/// <summary>The manifests docker-compose applies to a real cluster are valid: an empty sandbox accepts them through kubectl.</summary>
public sealed class DemoManifestTests : IAsyncLifetime
{
    private readonly TestSandbox _sandbox = new(seedDemoMesh: false);

    public ValueTask InitializeAsync() => _sandbox.InitializeAsync();

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    [Fact]
    public async Task DemoManifests_AreAcceptedByKubectlApply()
    {
        foreach (var manifest in new[] { "namespaces", "services", "workloads", "istio" })
        {
            var result = await _sandbox.Kubectl.RunAsync("apply", "-f", Path.Combine(RepositoryPaths.Root, "deploy", "demo", manifest + ".yaml"));
            Assert.True(result.ExitCode == 0, $"{manifest}: {result.Error}");
        }

        var routes = (await _sandbox.Kubectl.RunAsync("get", "vs", "-A", "-o", "name")).EnsureSuccess().Output;
        Assert.Contains("virtualservice.networking.istio.io/myapp-public", routes);
    }
}
