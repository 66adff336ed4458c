using System.Text;
using System.Text.Json.Nodes;
using MeshDashboard.Sandbox.Admission;
using MeshDashboard.Sandbox.Api;
using MeshDashboard.Sandbox.Storage;
using MeshDashboard.Testing;

namespace MeshDashboard.Sandbox.Tests.Storage;

/// <summary>
/// Objects are kept as compact UTF-8, the bytes every response sends: what is loaded from the data directory, written
/// and persisted is that one form, and two stored objects are equal when their content is.
/// </summary>
public sealed class StoredObjectTests : IDisposable
{
    private readonly TemporaryDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private ObjectStore Open() => new(new FileStatePersister(_data.Path), new SandboxAdmission(), TimeProvider.System);

    private void Put(string resource, string ns, string name, byte[] content)
    {
        var folder = Path.Combine(_data.Path, FileStatePersister.ObjectsFolderName, resource, ns);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, name + ".json"), content);
    }

    [Fact]
    public void AFileEditedByHand_IndentedAndWithAByteOrderMark_LoadsAsTheCompactObject()
    {
        Put("namespaces", "_cluster", "shop", Encoding.UTF8.GetBytes("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop","resourceVersion":"3"}}"""));
        var indented = """
            {
              "apiVersion": "v1",
              "kind": "Pod",
              "metadata": { "name": "cart-1", "namespace": "shop", "resourceVersion": "41", "labels": { "app": "cart", "version": "v2" } },
              "spec": { "containers": [ { "name": "cart", "image": "cart:2" } ] }
            }
            """;
        Put("pods", "shop", "cart-1", [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(indented)]);

        var store = Open();
        var pod = store.Get(ResourceTypes.Pods, "shop", "cart-1");

        Assert.Equal(JsonNode.Parse(indented)!.ToJsonString(), Encoding.UTF8.GetString(pod.Utf8Json.Span));
        Assert.Equal(41, pod.ResourceVersion);
        Assert.Equal("v2", pod.Labels["version"]);
        Assert.True(store.Revision >= 41);
    }

    [Fact]
    public void AWrite_IsPersistedAsTheBytesTheStoreServes()
    {
        var store = Open();
        store.Create(ResourceTypes.Namespaces, "", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "shop" } }, WriteOptions.Default);

        var created = store.Create(ResourceTypes.ConfigMaps, "shop", (JsonObject)JsonNode.Parse("""{"metadata":{"name":"settings"},"data":{"greeting":"grüß dich <3"}}""")!, WriteOptions.Default);

        var file = File.ReadAllBytes(Path.Combine(_data.Path, FileStatePersister.ObjectsFolderName, "configmaps", "shop", "settings.json"));
        Assert.Equal(created.Utf8Json.ToArray(), file);
        Assert.Equal("grüß dich <3", (string?)created.Parse()["data"]!["greeting"]);
        Assert.Equal(created, Open().Get(ResourceTypes.ConfigMaps, "shop", "settings"));
    }

    [Fact]
    public void StoredObjects_AreEqualWhenTheirContentIs()
    {
        var one = new StoredObject(ResourceTypes.ConfigMaps, "shop", "settings", 7, Encoding.UTF8.GetBytes("""{"data":{"a":"1"}}"""));
        var same = new StoredObject(ResourceTypes.ConfigMaps, "shop", "settings", 7, Encoding.UTF8.GetBytes("""{"data":{"a":"1"}}"""));
        var changed = new StoredObject(ResourceTypes.ConfigMaps, "shop", "settings", 7, Encoding.UTF8.GetBytes("""{"data":{"a":"2"}}"""));

        Assert.Equal(one, same);
        Assert.Equal(one.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(one, changed);
    }
}
