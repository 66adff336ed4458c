using System.Text.Json.Nodes;
using System.Xml.Linq;
using MeshDashboard.Cluster.KeyStorage;
using MeshDashboard.Testing;

namespace MeshDashboard.Cluster.Tests.KeyStorage;

/// <summary>The Data Protection key ring kept in a Secret of the sandbox, as two replicas would share it.</summary>
public sealed class SecretXmlRepositoryTests : IAsyncLifetime
{
    private readonly TestSandbox _sandbox = new();
    private readonly KeyRingOptions _options = new();

    public ValueTask InitializeAsync() => _sandbox.InitializeAsync();

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();

    private SecretXmlRepository NewReplica() => new(_sandbox.CreateClient(), _options);

    private static XElement Key(string id) => new("key", new XAttribute("id", id), new XElement("creationDate", "2026-11-25T00:00:00Z"));

    [Fact]
    public void GetAllElements_IsEmptyBeforeAnyKeyWasStored()
    {
        Assert.Empty(NewReplica().GetAllElements());
    }

    [Fact]
    public void KeysStoredByTwoReplicas_AreBothReadByAThird()
    {
        NewReplica().StoreElement(Key("a1"), "key-a1");
        NewReplica().StoreElement(Key("b2"), "key-b2");

        var ids = NewReplica().GetAllElements().Select(e => (string?)e.Attribute("id")).Order();

        Assert.Equal(["a1", "b2"], ids);
    }

    [Fact]
    public async Task KeyRing_IsAnOpaqueSecretInTheDashboardsNamespaceWithOneEntryPerKey()
    {
        NewReplica().StoreElement(Key("a1"), "key-a1");

        var secret = JsonNode.Parse((await _sandbox.Kubectl.RunAsync("get", "secret", _options.SecretName, "-n", _options.Namespace, "-o", "json")).EnsureSuccess().Output)!;

        Assert.Equal("Opaque", (string?)secret["type"]);
        var data = secret["data"]!.AsObject();
        Assert.Equal("key-a1.xml", Assert.Single(data).Key);
        Assert.Contains("id=\"a1\"", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)data["key-a1.xml"]!)), StringComparison.Ordinal);
    }

    [Fact]
    public void EntryName_KeepsOnlyCharactersASecretKeyAllows()
    {
        Assert.Equal("key-1-2.xml", SecretXmlRepository.EntryName("key 1/2"));
    }

    [Fact]
    public void AnUnreachableCluster_IsReportedWithTheSecretAndTheSettingThatAvoidsIt()
    {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        using var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        var unreachable = new SecretXmlRepository(client, _options);

        var error = Assert.Throws<InvalidOperationException>(unreachable.GetAllElements);

        Assert.Contains($"{_options.Namespace}/{_options.SecretName}", error.Message, StringComparison.Ordinal);
        Assert.Contains("DataProtection:Store", error.Message, StringComparison.Ordinal);
    }
}
