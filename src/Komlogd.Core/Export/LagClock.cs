namespace Komlogd.Core.Export;

/// <summary>
/// How long the oldest sample not yet delivered has been waiting. The store keeps no commit time, so the
/// exporter notes when it first saw each new high-water seq; the oldest unsent sample was committed at or
/// before the first note that covers it. A backlog found at start counts from the start (docs/export.md).
/// </summary>
internal sealed class LagClock
{
    private const int MaxNotes = 4096;
    private readonly Queue<(long Seq, DateTimeOffset At)> _notes = new();
    private readonly Lock _gate = new();

    /// <summary>The store's last seq as seen at <paramref name="now"/>.</summary>
    public void Saw(long lastSeq, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_notes.Count > 0 && _notes.Last().Seq >= lastSeq)
            {
                return;
            }
            if (_notes.Count >= MaxNotes)
            {
                // Thin out: each pair of notes becomes one with the later seq and the earlier time. A coarser
                // clock that may say older, never younger.
                var notes = _notes.ToArray();
                _notes.Clear();
                for (var i = 0; i < notes.Length; i += 2)
                {
                    _notes.Enqueue(i + 1 < notes.Length ? (notes[i + 1].Seq, notes[i].At) : notes[i]);
                }
            }
            _notes.Enqueue((lastSeq, now));
        }
    }

    /// <summary>Seconds the oldest sample after <paramref name="delivered"/> has waited; 0 when none waits.</summary>
    public double Seconds(long delivered, DateTimeOffset now)
    {
        lock (_gate)
        {
            while (_notes.Count > 0 && _notes.Peek().Seq <= delivered)
            {
                _notes.Dequeue();
            }
            return _notes.Count == 0 ? 0 : Math.Max(0, (now - _notes.Peek().At).TotalSeconds);
        }
    }
}
