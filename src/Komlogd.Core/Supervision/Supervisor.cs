using Serilog;

namespace Komlogd.Core.Supervision;

/// <summary>
/// Every venv's <see cref="VenvSupervisor"/>. Starts them in configuration order and stops them in reverse
/// order, collecting failures of several stops into one <see cref="AggregateException"/> rather than
/// stopping at the first (as Microsoft.Extensions.Hosting does with hosted services).
/// </summary>
public sealed class Supervisor(IChildLauncher launcher, SupervisionOptions options, TimeProvider time, ILogger log) : IAsyncDisposable
{
    private readonly List<VenvSupervisor> _venvs = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<VenvSupervisor> Venvs
    {
        get
        {
            lock (_gate)
            {
                return [.. _venvs];
            }
        }
    }

    public VenvSupervisor? Find(string venv) => Venvs.FirstOrDefault(v => v.Venv == venv);

    /// <summary>Any venv's <see cref="VenvSupervisor.StatusChanged"/>, raised on the thread that made the change.</summary>
    public event Action<VenvStatus>? VenvChanged;

    /// <summary>Adds a venv and starts it.</summary>
    public async Task<VenvSupervisor> AddAsync(string venv, string entryAssembly)
    {
        var supervisor = new VenvSupervisor(venv, entryAssembly, launcher, options, time, log);
        supervisor.StatusChanged += status => VenvChanged?.Invoke(status);
        lock (_gate)
        {
            if (_venvs.Any(v => v.Venv == venv))
            {
                throw new InvalidOperationException($"venv {venv} is already supervised");
            }
            _venvs.Add(supervisor);
        }
        await supervisor.StartAsync().ConfigureAwait(false);
        return supervisor;
    }

    /// <summary>Stops a venv and forgets it.</summary>
    public async Task RemoveAsync(string venv)
    {
        VenvSupervisor? supervisor;
        lock (_gate)
        {
            supervisor = _venvs.FirstOrDefault(v => v.Venv == venv);
            if (supervisor is not null)
            {
                _venvs.Remove(supervisor);
            }
        }
        if (supervisor is not null)
        {
            await supervisor.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops every venv, last started first.</summary>
    public async Task StopAllAsync()
    {
        var errors = new List<Exception>();
        foreach (var venv in Venvs.Reverse())
        {
            try
            {
                await venv.StopAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        }
        if (errors.Count > 0)
        {
            throw new AggregateException("stopping venvs failed", errors);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAllAsync().ConfigureAwait(false);
        foreach (var venv in Venvs)
        {
            await venv.DisposeAsync().ConfigureAwait(false);
        }
    }
}
