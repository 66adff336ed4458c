using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace MeshDashboard.Sandbox;

/// <summary>One request the sandbox served, with the impersonation headers a real API server would act on.</summary>
public sealed record RecordedRequest(string Method, string Path, string? ImpersonateUser, IReadOnlyList<string> ImpersonateGroups);

/// <summary>The sandbox has no RBAC; it records who a client claimed to act for, so tests can see it.</summary>
public sealed class RequestLog
{
    private const int Capacity = 2000;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public IReadOnlyList<RecordedRequest> Snapshot() => [.. _requests];

    internal void Record(HttpRequest request)
    {
        _requests.Enqueue(new RecordedRequest(
            request.Method,
            request.Path + request.QueryString,
            request.Headers["Impersonate-User"].FirstOrDefault(),
            [.. request.Headers["Impersonate-Group"].OfType<string>()]));
        while (_requests.Count > Capacity && _requests.TryDequeue(out _))
        {
        }
    }
}
