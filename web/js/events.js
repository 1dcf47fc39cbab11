// One-line summaries of Realtime events for the event logs (the console's own session and attached calls).

function clip(text, n = 80) {
  if (typeof text !== 'string') return '';
  return text.length > n ? text.slice(0, n - 1) + '…' : text;
}

/** Describes a session's turn detection for confirmations: "semantic_vad, eagerness high". */
export function describeTurnDetection(session) {
  const td = session?.audio?.input?.turn_detection;
  if (!td) return 'turn detection off';
  return td.type === 'semantic_vad' ? `semantic_vad, eagerness ${td.eagerness || 'auto'}` : td.type;
}

export function describeEvent(e) {
  switch (e.type) {
    case 'session.created':
    case 'session.updated':
      return `${e.session?.model ?? ''} · ${e.session?.audio?.output?.voice ?? ''} · ${describeTurnDetection(e.session)}`;
    case 'conversation.item.input_audio_transcription.completed':
      return `“${clip(e.transcript)}”`;
    case 'response.output_audio_transcript.done':
      return `“${clip(e.transcript)}”`;
    case 'response.done':
      return e.response?.status ?? '';
    case 'response.function_call_arguments.done':
      return `${e.name ?? ''}(${clip(e.arguments, 60)})`;
    case 'error':
      return clip(e.error?.message ?? '', 120);
    case 'input_audio_buffer.dtmf_event_received':
      return `digit ${e.event}`;
    default:
      return '';
  }
}

/** Puts one event at the top of an event log (newest first), keeping at most <limit> lines. */
export function prependEvent(list, e, limit) {
  const li = document.createElement('li');
  const type = document.createElement('code');
  type.textContent = e.type;
  li.append(type);
  const detail = describeEvent(e);
  if (detail) li.append(' ', detail);
  list.prepend(li);
  while (list.children.length > limit) list.lastChild.remove();
}
