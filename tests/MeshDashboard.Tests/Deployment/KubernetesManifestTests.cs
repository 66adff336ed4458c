using System.Text.Json.Nodes;
using MeshDashboard.Cluster.KeyStorage;
using MeshDashboard.Sandbox;
using MeshDashboard.Testing;

namespace MeshDashboard.Tests.Deployment;

/// <summary>The manifests in deploy/kubernetes: accepted by kubectl apply, and as narrow as the dashboard's needs.</summary>
public sealed class KubernetesManifestTests : IAsyncLifetime
{
    private static readonly string Folder = Path.Combine(RepositoryPaths.Root, "deploy", "kubernetes");
    private readonly TestSandbox _sandbox = new(seedDemoMesh: false);

    public ValueTask InitializeAsync() => _sandbox.InitializeAsync();

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    private static IEnumerable<JsonObject> Documents(string file) =>
        YamlJson.ParseDocuments(File.ReadAllText(Path.Combine(Folder, file))).OfType<JsonObject>();

    [Fact]
    public async Task Manifests_ApplyToTheSandboxWithKubectl()
    {
        var apply = await _sandbox.Kubectl.RunAsync("apply", "-f", Path.Combine(Folder, "namespace.yaml"));
        var rest = await _sandbox.Kubectl.RunAsync("apply", "-f", Folder, "-f", Path.Combine(Folder, "optional"));

        Assert.True(apply.ExitCode == 0, apply.Error);
        Assert.True(rest.ExitCode == 0, rest.Error);
        var deployment = (await _sandbox.Kubectl.RunAsync("get", "deployment", "meshdashboard", "-n", "meshdashboard", "-o", "jsonpath={.spec.template.spec.serviceAccountName}")).EnsureSuccess();
        Assert.Equal("meshdashboard", deployment.Output);
    }

    [Fact]
    public void ClusterRole_GrantsOnlyTheVerbsTheDashboardUses()
    {
        var role = Documents("rbac.yaml").Single(d => (string?)d["kind"] == "ClusterRole");
        var rules = role["rules"]!.AsArray().Select(r => (
            Groups: r!["apiGroups"]!.AsArray().Select(g => (string)g!).ToList(),
            Resources: r["resources"]!.AsArray().Select(x => (string)x!).ToList(),
            Verbs: r["verbs"]!.AsArray().Select(v => (string)v!).ToHashSet())).ToList();

        Assert.DoesNotContain(rules, r => r.Verbs.Contains("*") || r.Resources.Contains("*") || r.Groups.Contains("*"));
        Assert.DoesNotContain(rules, r => r.Resources.Contains("secrets") || r.Resources.Contains("configmaps"));
        Assert.DoesNotContain(rules, r => r.Verbs.Contains("impersonate"));
        var core = rules.Single(r => r.Groups.SequenceEqual([""]) && r.Resources.Contains("services"));
        Assert.Equal(["get", "list", "watch"], core.Verbs.Order());
        Assert.Equal(["create"], rules.Single(r => r.Groups.SequenceEqual([""]) && r.Resources.SequenceEqual(["events"])).Verbs);
        Assert.Equal(["get", "list", "watch"], rules.Single(r => r.Resources.SequenceEqual(["gateways"])).Verbs.Order());
    }

    [Fact]
    public void HistoryConfigMaps_AreWritableOnlyInTheDashboardsNamespace()
    {
        var role = Documents("rbac.yaml").Single(d => (string?)d["kind"] == "Role");

        Assert.Equal("meshdashboard", (string?)role["metadata"]!["namespace"]);
        Assert.Equal("configmaps", (string?)role["rules"]![0]!["resources"]![0]);
    }

    [Fact]
    public void RolloutLeases_AreWritableOnlyInTheDashboardsNamespace_WithoutListOrDelete()
    {
        var role = Documents("rbac.yaml").Single(d => (string?)d["kind"] == "Role");
        var lease = Assert.Single(role["rules"]!.AsArray(), r => r!["resources"]!.AsArray().Any(x => (string?)x == "leases"))!;

        Assert.Equal("coordination.k8s.io", (string?)lease["apiGroups"]![0]);
        Assert.Equal(["get", "create", "update"], lease["verbs"]!.AsArray().Select(v => (string)v!));
    }

    [Fact]
    public void KeyRingSecret_IsTheOnlySecretTheDashboardCanRead()
    {
        var role = Documents("rbac.yaml").Single(d => (string?)d["kind"] == "Role");
        var secretRules = role["rules"]!.AsArray().Where(r => r!["resources"]!.AsArray().Any(x => (string?)x == "secrets")).ToList();

        Assert.All(secretRules, r => Assert.DoesNotContain(r!["verbs"]!.AsArray(), v => (string?)v is "list" or "watch" or "delete" or "patch"));
        var readable = secretRules.Where(r => r!["verbs"]!.AsArray().Any(v => (string?)v == "get")).ToList();
        Assert.Equal(["meshdashboard-data-protection"], Assert.Single(readable)!["resourceNames"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("meshdashboard-data-protection", new KeyRingOptions().SecretName);
    }

    [Fact]
    public void Deployment_RunsNonRootOnAReadOnlyFilesystemWithHealthProbes()
    {
        var deployment = Documents("deployment.yaml").Single(d => (string?)d["kind"] == "Deployment");
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var container = pod["containers"]![0]!;

        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.False((bool)container["securityContext"]!["allowPrivilegeEscalation"]!);
        Assert.Equal("/healthz", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Contains(container["env"]!.AsArray(), e => (string?)e!["name"] == "Auth__Mode" && (string?)e["value"] != "None");
    }
}
