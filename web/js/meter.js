// Level meters: an AnalyserNode per source, read once per animation frame into a <meter> element.

export class LevelMeter {
  /** @param {HTMLMeterElement} element */
  constructor(element) {
    this.element = element;
    this.analyser = null;
    this.data = null;
    this.frame = 0;
    this.context = null;
    this.ownsContext = false;
  }

  /** Measures a MediaStream (the microphone, or the agent's remote track). */
  attachStream(stream, context) {
    this.detach();
    this.ownsContext = !context;
    this.context = context || new AudioContext();
    const source = this.context.createMediaStreamSource(stream);
    this.attachNode(source);
  }

  /** Measures an AudioNode already in a graph (WebSocket playback). */
  attachNode(node) {
    this.context = this.context || node.context;
    this.peak = 0;
    this.analyser = node.context.createAnalyser();
    this.analyser.fftSize = 1024;
    this.data = new Float32Array(this.analyser.fftSize);
    node.connect(this.analyser);
    const tick = () => {
      this.analyser.getFloatTimeDomainData(this.data);
      let sum = 0;
      for (let i = 0; i < this.data.length; i++) sum += this.data[i] * this.data[i];
      const rms = Math.sqrt(sum / this.data.length);
      // Speech RMS sits around 0.01-0.3; a square root spreads it over the bar.
      const level = Math.min(1, Math.sqrt(rms * 4));
      this.element.value = level;
      // The loudest level since attaching, for a glance at "did any sound come through".
      this.peak = Math.max(this.peak, level);
      this.element.dataset.peak = this.peak.toFixed(2);
      this.element.dataset.active = level > 0.12 ? 'true' : 'false';
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  detach() {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.analyser) this.analyser.disconnect();
    this.analyser = null;
    if (this.ownsContext && this.context) this.context.close().catch(() => {});
    this.context = null;
    this.ownsContext = false;
    this.element.value = 0;
    this.element.dataset.active = 'false';
  }
}
