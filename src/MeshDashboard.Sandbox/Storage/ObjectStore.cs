using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using MeshDashboard.Sandbox.Admission;
using MeshDashboard.Sandbox.Api;
using MeshDashboard.Sandbox.Patching;

namespace MeshDashboard.Sandbox.Storage;

/// <summary>
/// The sandbox's etcd and API machinery in one: objects, the single resourceVersion counter, metadata
/// the server owns (uid, timestamps, generation), preconditions, admission, and a bounded history of
/// changes that watches resume from. Every write is serialized under one lock, so resourceVersions are
/// strictly increasing and watchers see changes in commit order.
/// </summary>
public sealed class ObjectStore
{
    /// <summary>How many changes a watch can resume across before it must list again (410 Gone).</summary>
    public const int HistoryCapacity = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<ObjectKey, StoredObject> _objects = [];
    private readonly List<StoreEvent> _history = [];
    private readonly List<WatchSubscription> _subscriptions = [];
    private readonly IStatePersister _persister;
    private readonly IAdmissionCheck _admission;
    private readonly TimeProvider _time;
    private long _revision;
    private long _historyStart;

    /// <summary>
    /// Loads the persisted objects. <paramref name="bundledDefinitions"/> are CustomResourceDefinitions created when missing
    /// (first start, or a data directory from before they were bundled), before the objects of their kinds are loaded.
    /// </summary>
    public ObjectStore(IStatePersister persister, IAdmissionCheck admission, TimeProvider time, IEnumerable<JsonObject>? bundledDefinitions = null)
    {
        _persister = persister;
        _admission = admission;
        _time = time;

        var state = persister.Load();
        // Each file becomes what the store keeps of it as it is read (compact UTF-8 and the metadata that places it):
        // parsing every file into a node tree first would hold the whole cluster twice over, as trees, until the end.
        var loaded = new List<LoadedObject>();
        var namespaces = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (storageKey, json) in state.Objects)
        {
            var read = LoadedObject.Read(storageKey, json, namespaces);
            loaded.Add(read);
            _revision = Math.Max(_revision, read.ResourceVersion);
        }
        _revision = Math.Max(_revision, state.Revision);

        // Definitions first: the kinds they define decide which of the other stored objects can be read.
        foreach (var definition in loaded.Where(o => o.StorageKey == ResourceTypes.CustomResourceDefinitions.QualifiedName))
        {
            var stored = definition.ToStored(ResourceTypes.CustomResourceDefinitions);
            _objects[stored.Key] = stored;
            Index(stored, replaced: null);
            Types.Define(CustomResourceDefinitions.ToResourceType(stored.Parse()));
        }
        lock (_gate)
        {
            foreach (var definition in bundledDefinitions ?? [])
            {
                if (!_objects.ContainsKey(new ObjectKey(ResourceTypes.CustomResourceDefinitions, "", (string?)definition["metadata"]?["name"] ?? "")))
                {
                    CreateLocked(ResourceTypes.CustomResourceDefinitions, "", (JsonObject)definition.DeepClone(), WriteOptions.Default, managedFieldsSet: false);
                }
            }
        }
        foreach (var other in loaded.Where(o => o.StorageKey != ResourceTypes.CustomResourceDefinitions.QualifiedName))
        {
            // Objects of a kind no definition serves stay on disk, unseen, until their CRD is applied again.
            if (Types.FindQualified(other.StorageKey) is { } type)
            {
                var stored = other.ToStored(type);
                _objects[stored.Key] = stored;
                Index(stored, replaced: null);
            }
        }
        // Nothing before a restart can be replayed: a watch from an older version has to list again.
        _history.Clear();
        _previousByRevision.Clear();
        _historyStart = _revision;
    }

    /// <summary>The kinds served now: built-in ones and those of the stored CustomResourceDefinitions.</summary>
    public TypeRegistry Types { get; } = new();

    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    /// <summary>Whether the store holds nothing but CustomResourceDefinitions (which it installs itself when they are missing).</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _objects.Values.All(o => o.Type == ResourceTypes.CustomResourceDefinitions);
            }
        }
    }

    public StoredObject Get(ResourceType type, string ns, string name)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(new ObjectKey(type, ns, name), out var stored)
                ? stored
                : throw ApiException.NotFound(type, name);
        }
    }

    public bool Exists(ResourceType type, string ns, string name)
    {
        lock (_gate)
        {
            return _objects.ContainsKey(new ObjectKey(type, ns, name));
        }
    }

    /// <summary>
    /// The objects of a kind (in a namespace, or all) in (namespace, name) order, as of the store's revision now: the
    /// snapshot a list's pages are served from (see <see cref="Snapshot"/>), the selectors to apply as each page is cut.
    /// </summary>
    public ListSnapshot List(ResourceType type, string? ns)
    {
        lock (_gate)
        {
            var written = _writtenAt.GetValueOrDefault(type);
            var key = (type, ns);
            if (_snapshots.TryGetValue(key, out var kept) && kept.Last is { } newest && newest.Value.KindRevision == written)
            {
                return newest.Value with { Revision = _revision };
            }
            // The kind's objects are kept sorted, a namespace's next to each other: the list is a copy, never a sort.
            IEnumerable<StoredObject> items = _byType.TryGetValue(type, out var sorted)
                ? ns is null ? sorted : sorted.GetViewBetween(ObjectOrder.First(type, ns), ObjectOrder.Last(type, ns))
                : [];
            var snapshot = new ListSnapshot([.. items], _revision, written);
            if (kept is null)
            {
                kept = new LinkedList<ListSnapshot>();
                _snapshots[key] = kept;
            }
            kept.AddLast(snapshot);
            if (kept.Count > SnapshotsKeptPerList)
            {
                kept.RemoveFirst();
            }
            return snapshot;
        }
    }

    /// <summary>
    /// The list of a kind as it was when <paramref name="kindRevision"/> was its latest write, while it is kept: a real
    /// API server serves every page of a list from the snapshot of its first page (until etcd compacts it), so a client
    /// paging through thousands of pods is not sent back to the start by every write in between. Null once dropped.
    /// </summary>
    public ListSnapshot? Snapshot(ResourceType type, string? ns, long kindRevision)
    {
        lock (_gate)
        {
            return _snapshots.TryGetValue((type, ns), out var kept) ? kept.FirstOrDefault(s => s.KindRevision == kindRevision) : null;
        }
    }

    /// <summary>How many snapshots of one kind's list are kept for pages still to come; the oldest goes first.</summary>
    internal const int SnapshotsKeptPerList = 8;

    // Every object of a kind, kept sorted by (namespace, name) as it is written: a list copies a range, never sorts.
    private readonly Dictionary<ResourceType, SortedSet<StoredObject>> _byType = [];

    // The revision of the latest write to each kind: a list snapshot stands until its kind is written again.
    private readonly Dictionary<ResourceType, long> _writtenAt = [];

    // Snapshots of lists served, newest last, per kind and namespace (null: every namespace).
    private readonly Dictionary<(ResourceType Type, string? Namespace), LinkedList<ListSnapshot>> _snapshots = [];

    private void Index(StoredObject stored, StoredObject? replaced)
    {
        if (!_byType.TryGetValue(stored.Type, out var sorted))
        {
            sorted = new SortedSet<StoredObject>(ObjectOrder.Instance);
            _byType[stored.Type] = sorted;
        }
        if (replaced is not null)
        {
            sorted.Remove(replaced);
        }
        sorted.Add(stored);
        _writtenAt[stored.Type] = _revision;
    }

    private void Unindex(StoredObject removed)
    {
        _byType.GetValueOrDefault(removed.Type)?.Remove(removed);
        _writtenAt[removed.Type] = _revision;
    }

    private IEnumerable<StoredObject> OfType(ResourceType type) => _byType.TryGetValue(type, out var sorted) ? sorted : [];

    public StoredObject Create(ResourceType type, string ns, JsonObject body, WriteOptions options)
    {
        lock (_gate)
        {
            return CreateLocked(type, ns, body, options, managedFieldsSet: false);
        }
    }

    /// <summary>
    /// Server-side apply: creates the object from the applied configuration when it does not exist, otherwise merges
    /// it in with field ownership (see <see cref="ServerSideApply"/>). Answers whether the object was created.
    /// </summary>
    public (StoredObject Object, bool Created) Apply(ResourceType type, string ns, string name, JsonObject applied, WriteOptions options, bool statusOnly = false)
    {
        if (string.IsNullOrEmpty((string?)applied["apiVersion"]) || string.IsNullOrEmpty((string?)applied["kind"]))
        {
            throw ApiException.BadRequest("apiVersion and kind must be set in an applied configuration");
        }
        var metadata = applied["metadata"] as JsonObject ?? throw ApiException.BadRequest("metadata must be set in an applied configuration");
        if ((string?)metadata["name"] != name)
        {
            throw ApiException.BadRequest($"the name of the object ({(string?)metadata["name"]}) does not match the name on the URL ({name})");
        }
        CheckNamespace(type, ns, metadata);
        CheckKind(type, applied);
        lock (_gate)
        {
            var current = _objects.TryGetValue(new ObjectKey(type, ns, name), out var found) ? found : null;
            if (statusOnly && current is null)
            {
                throw ApiException.NotFound(type, name);
            }
            var sentVersion = (string?)metadata["resourceVersion"];
            if (!string.IsNullOrEmpty(sentVersion) && sentVersion != current?.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw current is null ? ApiException.NotFound(type, name) : ApiException.Conflict(type, name);
            }
            metadata.Remove("resourceVersion");
            var (result, entries) = ServerSideApply.Apply(type, current?.Parse(), applied, options, Now(), StatusSubresource.Has(type) && !statusOnly);
            ManagedFields.Write(result, entries);
            return current is null
                ? (CreateLocked(type, ns, result, options, managedFieldsSet: true), true)
                : (Replace(current, result, options, statusOnly, managedFieldsSet: true), false);
        }
    }

    private StoredObject CreateLocked(ResourceType type, string ns, JsonObject body, WriteOptions options, bool managedFieldsSet)
    {
        var metadata = body["metadata"] as JsonObject ?? new JsonObject();
        body["metadata"] = metadata;
        var name = (string?)metadata["name"];
        if (string.IsNullOrEmpty(name) && metadata["generateName"] is JsonValue generate)
        {
            name = (string)generate! + RandomSuffix();
            metadata["name"] = name;
        }
        if (string.IsNullOrEmpty(name))
        {
            throw ApiException.Invalid(type, "", [new FieldCause("metadata.name", "Required value: name or generateName is required", "FieldValueRequired")]);
        }
        CheckNamespace(type, ns, metadata);
        CheckKind(type, body);

        {
            var key = new ObjectKey(type, ns, name);
            if (_objects.ContainsKey(key))
            {
                throw ApiException.AlreadyExists(type, name);
            }
            if (type.Namespaced && !_objects.ContainsKey(new ObjectKey(ResourceTypes.Namespaces, "", ns)))
            {
                throw ApiException.NotFound(ResourceTypes.Namespaces, ns);
            }

            body["apiVersion"] = type.ApiVersion(type.StorageVersion);
            body["kind"] = type.Kind;
            if (type.Namespaced)
            {
                metadata["namespace"] = ns;
            }
            // etcd3's store refuses a create that carries a resourceVersion (storage.ErrResourceVersionSetOnCreate); the
            // API server passes that error through unclassified: 500, no reason. A dry run never reaches that store.
            if (!options.DryRun && long.TryParse((string?)metadata["resourceVersion"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var sentVersion) && sentVersion != 0)
            {
                throw new ApiException(System.Net.HttpStatusCode.InternalServerError, "", "resourceVersion should not be set on objects to be created");
            }
            metadata.Remove("resourceVersion");
            metadata.Remove("deletionTimestamp");
            if (!managedFieldsSet)
            {
                metadata.Remove("managedFields");
            }
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = Now();
            if (type.HasSpecGeneration)
            {
                metadata["generation"] = 1;
            }
            Defaults.OnCreate(type, body, _objects.Count);
            if (StatusSubresource.Has(type))
            {
                body.Remove("status");
                StatusSubresource.Initial(type, body, Now());
            }

            _admission.Check(type, body, previous: null, options);
            if (!managedFieldsSet)
            {
                ManagedFields.Write(body, ManagedFields.AfterWrite([], null, body, options, Now(), StatusSubresource.Has(type)));
            }
            return Commit(type, body, WatchEventType.Added, previous: null, options.DryRun);
        }
    }

    /// <summary>
    /// Replaces an object (PUT). A resourceVersion in the body must match the stored one; custom
    /// resources must carry one. The server keeps what it owns: uid, creationTimestamp, generation.
    /// </summary>
    public StoredObject Update(ResourceType type, string ns, string name, JsonObject body, WriteOptions options, bool statusOnly = false)
    {
        var metadata = body["metadata"] as JsonObject ?? throw ApiException.BadRequest("metadata is required");
        if ((string?)metadata["name"] != name)
        {
            throw ApiException.BadRequest($"the name of the object ({(string?)metadata["name"]}) does not match the name on the URL ({name})");
        }
        CheckNamespace(type, ns, metadata);
        CheckKind(type, body);

        lock (_gate)
        {
            var current = _objects.TryGetValue(new ObjectKey(type, ns, name), out var found) ? found : throw ApiException.NotFound(type, name);
            var sentVersion = (string?)metadata["resourceVersion"];
            if (string.IsNullOrEmpty(sentVersion))
            {
                if (type.IsCustomResource)
                {
                    throw ApiException.Invalid(type, name, [new FieldCause("metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update")]);
                }
            }
            else if (sentVersion != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.Conflict(type, name);
            }
            return Replace(current, body, options, statusOnly);
        }
    }

    /// <summary>
    /// Applies a patch to the current object under the store's lock, so the patch sees exactly the state
    /// it is committed on top of (the property JSON Patch <c>test</c> operations rely on).
    /// </summary>
    public StoredObject Patch(ResourceType type, string ns, string name, Func<JsonObject, JsonObject> patch, WriteOptions options, bool statusOnly = false)
    {
        lock (_gate)
        {
            var current = _objects.TryGetValue(new ObjectKey(type, ns, name), out var found) ? found : throw ApiException.NotFound(type, name);
            var patched = patch(current.Parse());
            var metadata = patched["metadata"] as JsonObject ?? throw ApiException.BadRequest("metadata must stay an object");
            if ((string?)metadata["name"] != name)
            {
                throw ApiException.BadRequest("metadata.name cannot be changed by a patch");
            }
            // A resourceVersion in a patch is a precondition, as on a real API server.
            var sentVersion = (string?)metadata["resourceVersion"];
            if (sentVersion is not null && sentVersion != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.Conflict(type, name);
            }
            CheckKind(type, patched);
            return Replace(current, patched, options, statusOnly);
        }
    }

    public StoredObject Delete(ResourceType type, string ns, string name, string? expectedResourceVersion, string? expectedUid, WriteOptions options)
    {
        lock (_gate)
        {
            var current = _objects.TryGetValue(new ObjectKey(type, ns, name), out var found) ? found : throw ApiException.NotFound(type, name);
            var currentNode = current.Parse();
            if (expectedResourceVersion is not null && expectedResourceVersion != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiException.Conflict(type, name);
            }
            if (expectedUid is not null && expectedUid != (string?)currentNode["metadata"]?["uid"])
            {
                throw ApiException.Conflict(type, name);
            }
            if (options.DryRun)
            {
                return current;
            }

            if (type == ResourceTypes.Namespaces)
            {
                // The real server finalizes a namespace by deleting everything in it first.
                foreach (var contained in _objects.Values.Where(o => o.Type.Namespaced && o.Namespace == name).ToList())
                {
                    RemoveLocked(contained);
                }
            }
            return RemoveLocked(current);
        }
    }

    /// <summary>
    /// Starts a watch. With <paramref name="fromRevision"/> the watch replays every change after it
    /// (410 Gone when that is older than the history kept); without, it starts with the current state as
    /// ADDED events, as a watch without a resourceVersion does.
    /// </summary>
    public WatchSubscription Watch(ResourceType type, string? ns, long? fromRevision, LabelSelector labels, FieldSelector fields)
    {
        lock (_gate)
        {
            var subscription = new WatchSubscription(this, type, ns, labels, fields, _revision);
            if (fromRevision is { } from)
            {
                if (from < _historyStart)
                {
                    throw ApiException.Gone($"too old resource version: {from} ({_revision})");
                }
                foreach (var change in _history.Where(e => e.ResourceVersion > from))
                {
                    subscription.Offer(change, PreviousInHistory(change));
                }
            }
            else
            {
                foreach (var stored in OfType(type).Where(o => ns is null || o.Namespace == ns).OrderBy(o => o.ResourceVersion))
                {
                    subscription.Offer(new StoreEvent(WatchEventType.Added, stored), previous: null);
                }
                subscription.InitialEventsEnd = _revision;
            }
            _subscriptions.Add(subscription);
            return subscription;
        }
    }

    internal void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
        }
    }

    private StoredObject Replace(StoredObject current, JsonObject body, WriteOptions options, bool statusOnly, bool managedFieldsSet = false)
    {
        var type = current.Type;
        var old = current.Parse();
        var oldMetadata = (JsonObject)old["metadata"]!;
        var metadata = (JsonObject)body["metadata"]!;

        if (statusOnly)
        {
            // The status subresource changes status and nothing else.
            var status = body["status"]?.DeepClone();
            body = (JsonObject)old.DeepClone();
            body.Remove("status");
            if (status is not null)
            {
                body["status"] = status;
            }
            metadata = (JsonObject)body["metadata"]!;
        }
        else if (StatusSubresource.Has(type))
        {
            // Writes to the main resource cannot change status when status is a subresource.
            body.Remove("status");
            if (old["status"] is { } oldStatus)
            {
                body["status"] = oldStatus.DeepClone();
            }
        }

        body["apiVersion"] = type.ApiVersion(type.StorageVersion);
        body["kind"] = type.Kind;
        metadata["uid"] = oldMetadata["uid"]?.DeepClone();
        metadata["creationTimestamp"] = oldMetadata["creationTimestamp"]?.DeepClone();
        if (type.Namespaced)
        {
            metadata["namespace"] = current.Namespace;
        }
        // managedFields sent with a write replace the recorded ones (how kubectl hands client-side apply's fields to
        // server-side apply); left out, they are kept and this write's fields are added.
        var recorded = !managedFieldsSet && metadata["managedFields"] is JsonArray sent && !JsonNode.DeepEquals(sent, oldMetadata["managedFields"])
            ? ManagedFields.Read(body)
            : ManagedFields.Read(managedFieldsSet ? body : old);
        if (type.HasSpecGeneration)
        {
            var generation = (long?)oldMetadata["generation"] ?? 1;
            if (!JsonNode.DeepEquals(WithoutMetadataAndStatus(old), WithoutMetadataAndStatus(body)))
            {
                generation++;
            }
            metadata["generation"] = generation;
        }
        Defaults.OnUpdate(type, body, old);

        _admission.Check(type, body, old, options);
        if (!managedFieldsSet)
        {
            var entries = statusOnly ? recorded : ManagedFields.AfterWrite(recorded, old, body, options, Now(), StatusSubresource.Has(type));
            ManagedFields.Write(body, entries);
        }

        // A write that changes nothing is not a change: no new resourceVersion, no watch event.
        metadata["resourceVersion"] = current.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        if (JsonNode.DeepEquals(body, old))
        {
            return current;
        }
        return Commit(type, body, WatchEventType.Modified, current, options.DryRun);
    }

    private StoredObject Commit(ResourceType type, JsonObject body, WatchEventType eventType, StoredObject? previous, bool dryRun)
    {
        var metadata = (JsonObject)body["metadata"]!;
        if (dryRun)
        {
            // A dry run answers what would be stored; it does not consume a resourceVersion.
            if (previous is null)
            {
                metadata.Remove("resourceVersion");
            }
            return ToStored(type, body);
        }

        var revision = _revision + 1;
        metadata["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        var stored = ToStored(type, body);
        // Where etcd would refuse the write; a dry run never reaches storage, so it is not checked.
        if (stored.Utf8Json.Length > SizeLimits.StoredObjectBytes)
        {
            throw ApiException.StorageRequestTooLarge();
        }
        _persister.Save(stored, revision);
        _revision = revision;
        _objects[stored.Key] = stored;
        Index(stored, previous);
        Publish(new StoreEvent(eventType, stored), previous);
        if (type == ResourceTypes.CustomResourceDefinitions)
        {
            Types.Define(CustomResourceDefinitions.ToResourceType(body));
        }
        return stored;
    }

    private StoredObject RemoveLocked(StoredObject current)
    {
        if (current.Type == ResourceTypes.CustomResourceDefinitions && Types.FindQualified(current.Name) is { } defined)
        {
            // Deleting a definition deletes every object of its kind (the API server's CRD finalizer does this).
            foreach (var instance in OfType(defined).ToList())
            {
                RemoveLocked(instance);
            }
            Types.Remove(defined);
        }
        var revision = _revision + 1;
        var node = current.Parse();
        node["metadata"]!["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        var removed = ToStored(current.Type, node);
        _persister.Delete(current.Key, revision);
        _revision = revision;
        _objects.Remove(current.Key);
        Unindex(current);
        Publish(new StoreEvent(WatchEventType.Deleted, removed), current);
        return removed;
    }

    private void Publish(StoreEvent change, StoredObject? previous)
    {
        _history.Add(change);
        _previousByRevision[change.ResourceVersion] = previous;
        if (_history.Count > HistoryCapacity)
        {
            var dropped = _history.Count - (HistoryCapacity * 9 / 10);
            foreach (var old in _history.Take(dropped))
            {
                _previousByRevision.Remove(old.ResourceVersion);
            }
            _history.RemoveRange(0, dropped);
            _historyStart = _history[0].ResourceVersion - 1;
        }
        foreach (var subscription in _subscriptions)
        {
            subscription.Offer(change, previous);
        }
    }

    private readonly Dictionary<long, StoredObject?> _previousByRevision = [];

    private StoredObject? PreviousInHistory(StoreEvent change) =>
        _previousByRevision.TryGetValue(change.ResourceVersion, out var previous) ? previous : null;

    private static JsonObject WithoutMetadataAndStatus(JsonObject node)
    {
        var copy = (JsonObject)node.DeepClone();
        copy.Remove("metadata");
        copy.Remove("status");
        return copy;
    }

    private static void CheckNamespace(ResourceType type, string ns, JsonObject metadata)
    {
        var sent = (string?)metadata["namespace"];
        if (type.Namespaced && !string.IsNullOrEmpty(sent) && sent != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        if (!type.Namespaced)
        {
            metadata.Remove("namespace");
        }
    }

    private static void CheckKind(ResourceType type, JsonObject body)
    {
        var kind = (string?)body["kind"];
        if (!string.IsNullOrEmpty(kind) && kind != type.Kind)
        {
            throw ApiException.BadRequest($"the kind of the provided object ({kind}) does not match the resource on the request ({type.Kind})");
        }
        var apiVersion = (string?)body["apiVersion"];
        if (!string.IsNullOrEmpty(apiVersion) && !type.Versions.Any(v => type.ApiVersion(v) == apiVersion))
        {
            throw ApiException.BadRequest($"the API version of the provided object ({apiVersion}) is not served for {type.QualifiedName}");
        }
    }

    private static StoredObject ToStored(ResourceType type, JsonObject node)
    {
        var metadata = node["metadata"] as JsonObject;
        var ns = type.Namespaced ? (string?)metadata?["namespace"] ?? "" : "";
        var name = (string?)metadata?["name"] ?? "";
        var rvText = (string?)metadata?["resourceVersion"];
        var rv = long.TryParse(rvText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        return new StoredObject(type, ns, name, rv, StoredObject.Serialize(node));
    }

    /// <summary>A persisted object as read at start: its compact JSON and the metadata that places it, before its kind is known.</summary>
    private sealed record LoadedObject(string StorageKey, string Namespace, string Name, long ResourceVersion, byte[] Json)
    {
        public static LoadedObject Read(string storageKey, byte[] file, Dictionary<string, string> namespaces)
        {
            using var document = JsonDocument.Parse(file);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"a stored {storageKey} is not a JSON object");
            }
            var metadata = root.TryGetProperty("metadata", out var found) && found.ValueKind == JsonValueKind.Object ? found : default;
            string? Text(string field) =>
                metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var ns = Text("namespace") ?? "";
            // Fifty namespaces, tens of thousands of objects: each namespace's name is kept once.
            if (!namespaces.TryGetValue(ns, out var shared))
            {
                shared = ns;
                namespaces[ns] = ns;
            }
            var rv = long.TryParse(Text("resourceVersion"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
            // Rewritten compact, as the store writes objects: a file edited by hand may be indented.
            var buffer = new ArrayBufferWriter<byte>(file.Length);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                root.WriteTo(writer);
            }
            return new LoadedObject(storageKey, shared, Text("name") ?? "", rv, buffer.WrittenSpan.ToArray());
        }

        public StoredObject ToStored(ResourceType type) => new(type, type.Namespaced ? Namespace : "", Name, ResourceVersion, Json);
    }

    private string Now() => _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return new string(Enumerable.Range(0, 5).Select(_ => alphabet[Random.Shared.Next(alphabet.Length)]).ToArray());
    }
}

/// <summary>One open watch: a channel of changes filtered to one kind, namespace and selectors.</summary>
public sealed class WatchSubscription : IDisposable
{
    private readonly ObjectStore _store;
    private readonly ResourceType _type;
    private readonly string? _namespace;
    private readonly LabelSelector _labels;
    private readonly FieldSelector _fields;
    private readonly Channel<StoreEvent> _channel = Channel.CreateUnbounded<StoreEvent>(new UnboundedChannelOptions { SingleReader = true });

    internal WatchSubscription(ObjectStore store, ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, long startRevision)
    {
        _store = store;
        _type = type;
        _namespace = ns;
        _labels = labels;
        _fields = fields;
        StartRevision = startRevision;
    }

    /// <summary>The store's revision when the watch started.</summary>
    public long StartRevision { get; }

    /// <summary>Set when the watch began with the current state: the revision that state was taken at.</summary>
    public long? InitialEventsEnd { get; internal set; }

    public ChannelReader<StoreEvent> Events => _channel.Reader;

    internal void Offer(StoreEvent change, StoredObject? previous)
    {
        var stored = change.Object;
        if (stored.Type != _type || (_namespace is not null && stored.Namespace != _namespace) || !_fields.Matches(stored.Namespace, stored.Name))
        {
            return;
        }

        var matchesNow = _labels.SelectsEverything || _labels.Matches(stored.Labels);
        var matchedBefore = previous is not null && (_labels.SelectsEverything || _labels.Matches(previous.Labels));
        var translated = change.Type switch
        {
            // An object that leaves the selection is gone for this watcher; one that enters it is new.
            WatchEventType.Modified when matchesNow && !matchedBefore => change with { Type = WatchEventType.Added },
            WatchEventType.Modified when !matchesNow && matchedBefore => change with { Type = WatchEventType.Deleted },
            WatchEventType.Modified when !matchesNow => null,
            WatchEventType.Deleted when !matchesNow => null,
            WatchEventType.Added when !matchesNow => null,
            _ => change,
        };
        if (translated is not null)
        {
            _channel.Writer.TryWrite(translated);
        }
    }

    public void Dispose()
    {
        _store.Unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
