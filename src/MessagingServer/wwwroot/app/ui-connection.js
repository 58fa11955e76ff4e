// The connection indicator in the top bar: the state the client library reports, a countdown to the next attempt.

/** The function that renders a connection state into the indicator (it keeps its own countdown timer). */
export function createConnectionView(el) {
  let countdown = null;

  function renderConnection(state) {
    el.connection.dataset.state = state.name;
    if (countdown !== null) {
      clearInterval(countdown);
      countdown = null;
    }
    switch (state.name) {
      case 'connecting':
        el.connectionText.textContent = state.attempt > 0 ? 'Reconnecting…' : 'Connecting…';
        break;
      case 'live':
        el.connectionText.textContent = 'Live';
        break;
      case 'reconnecting':
        el.connectionText.textContent = 'Reconnecting';
        break;
      default:
        el.connectionText.textContent = state.reason === 'no network' ? 'Offline (no network)' : 'Offline';
    }
    // The seconds tick visually only: a screen reader hears the state once, not every second.
    const tick = () => {
      el.connectionCountdown.textContent = state.name === 'reconnecting'
        ? ` in ${Math.max(1, Math.ceil((state.retryAt - Date.now()) / 1000))} s`
        : '';
    };
    tick();
    if (state.name === 'reconnecting') {
      countdown = setInterval(tick, 250);
    }
    el.reconnectNow.hidden = !(state.name === 'reconnecting' || (state.name === 'offline' && state.reason === 'no network'));
  }

  return renderConnection;
}
