namespace MeshDashboard.Testing;

/// <summary>What happens to the Nth write a client sends, and after it.</summary>
public enum Fault
{
    /// <summary>The cluster goes away: the Nth write and every request after it fail without reaching it.</summary>
    Outage,

    /// <summary>The Nth write reaches the cluster and is applied, but its answer is lost; then the cluster goes away.</summary>
    AnswerLostThenOutage,

    /// <summary>The Nth write is answered 500 without being applied; later requests work.</summary>
    ServerError,

    /// <summary>The Nth write is applied, but its answer ends before its body does (HttpIOException); later requests work.</summary>
    AnswerCutShort,

    /// <summary>The process dies: the Nth write never leaves, and the caller never hears back.</summary>
    ProcessKilled,
}

/// <summary>Thrown into a caller whose process the test has "killed", so it can do nothing more.</summary>
public sealed class ProcessKilledException() : Exception("the process was killed (test)");

/// <summary>
/// Fails the Nth write (POST, PUT, PATCH, DELETE) deterministically, by count, never by timing: the fault-injection
/// point for "the cluster died between two writes" and "the process died between two writes".
/// </summary>
public sealed class FaultInjectingHandler(int failAt, Fault fault) : DelegatingHandler
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _killed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _writes;
    private volatile bool _down;

    /// <summary>Completes when the Nth write has been intercepted.</summary>
    public Task Reached => _reached.Task;

    /// <summary>Every write method and path seen, in order (before the fault too).</summary>
    public List<string> Writes { get; } = [];

    /// <summary>Lets a "killed" caller end with <see cref="ProcessKilledException"/>, which it does not handle.</summary>
    public void Bury() => _killed.TrySetException(new ProcessKilledException());

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_down)
        {
            throw new HttpRequestException("Connection refused (injected outage)");
        }
        if (request.Method == HttpMethod.Get)
        {
            return await base.SendAsync(request, cancellationToken);
        }
        int position;
        lock (Writes)
        {
            Writes.Add($"{request.Method} {request.RequestUri?.AbsolutePath}");
            position = ++_writes;
        }
        if (position != failAt)
        {
            return await base.SendAsync(request, cancellationToken);
        }
        _reached.TrySetResult();
        switch (fault)
        {
            case Fault.Outage:
                _down = true;
                throw new HttpRequestException("Connection refused (injected outage)");
            case Fault.AnswerLostThenOutage:
                using (await base.SendAsync(request, cancellationToken))
                {
                    _down = true;
                    throw new HttpRequestException("Connection reset by peer (injected: the answer was lost)");
                }
            case Fault.AnswerCutShort:
                using (await base.SendAsync(request, cancellationToken))
                {
                    throw new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely (injected)");
                }
            case Fault.ServerError:
                return new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError) { RequestMessage = request, Content = new StringContent("injected") };
            default:
                await _killed.Task;
                throw new ProcessKilledException();
        }
    }
}
