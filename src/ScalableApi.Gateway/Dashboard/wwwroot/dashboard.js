// The gateway dashboard: signs in (admin token -> session cookie), then renders one snapshot a second from the
// Server-Sent Events stream. Everything is written with textContent: no HTML from the data is ever parsed.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const charts = {};
  let source = null;

  function show(signedIn) {
    $('sign-in').hidden = signedIn;
    $('dashboard').hidden = !signedIn;
    $('sign-out').hidden = !signedIn;
  }

  function setStatus(text, kind) {
    const status = $('status');
    status.textContent = text;
    status.className = 'status' + (kind ? ' ' + kind : '');
  }

  async function checkSession() {
    const response = await fetch('/dashboard/session', { credentials: 'same-origin', cache: 'no-store' });
    if (response.ok && (await response.json()).signedIn) {
      show(true);
      connect();
    } else {
      show(false);
      setStatus('signed out', 'down');
    }
  }

  async function signIn(event) {
    event.preventDefault();
    const form = event.target;
    const error = $('sign-in-error');
    error.textContent = '';
    try {
      const login = await fetch('/api/auth/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: form.email.value, password: form.password.value }),
      });
      if (!login.ok) {
        error.textContent = login.status === 401 ? 'Wrong e-mail or password.' : 'Sign-in failed (' + login.status + ').';
        return;
      }
      const token = (await login.json()).accessToken;
      const session = await fetch('/dashboard/session', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Authorization: 'Bearer ' + token },
      });
      if (session.status === 403) {
        error.textContent = 'This account is not an admin.';
        return;
      }
      if (!session.ok) {
        error.textContent = 'Could not start a session (' + session.status + ').';
        return;
      }
      form.password.value = '';
      show(true);
      connect();
    } catch (e) {
      error.textContent = 'The gateway did not answer.';
    }
  }

  async function signOut() {
    if (source) { source.close(); source = null; }
    await fetch('/dashboard/session', { method: 'DELETE', credentials: 'same-origin' });
    show(false);
    setStatus('signed out', 'down');
  }

  function connect() {
    if (source) { source.close(); }
    setStatus('connecting…');
    source = new EventSource('/dashboard/stream');
    source.addEventListener('snapshot', (event) => {
      setStatus('live', 'live');
      render(JSON.parse(event.data));
    });
    source.onerror = () => {
      // CLOSED: the server refused (session expired); otherwise EventSource reconnects on its own.
      if (source.readyState === EventSource.CLOSED) {
        source = null;
        checkSession();
      } else {
        setStatus('reconnecting…', 'down');
      }
    };
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) { td.className = className; }
    row.appendChild(td);
  }

  function fill(tbody, rows, build) {
    const body = document.querySelector(tbody);
    body.replaceChildren(...rows.map((item) => {
      const tr = document.createElement('tr');
      build(tr, item);
      return tr;
    }));
  }

  const ms = (v) => (v === null || v === undefined ? '–' : v.toFixed(v < 10 ? 2 : 1));
  const sum = (values) => values.reduce((a, b) => a + b, 0);
  const mib = (bytes) => (bytes / 1048576).toFixed(1) + ' MiB';
  // A small cache reads as 0.0 MiB: below 1 MiB in KiB.
  const size = (bytes) => (bytes < 1048576 ? (bytes / 1024).toFixed(1) + ' KiB' : mib(bytes));

  function render(snapshot) {
    const destinations = snapshot.clusters.flatMap((c) => c.destinations.map((d) => ({ cluster: c.id, ...d })));
    fill('#destinations tbody', destinations, (tr, d) => {
      cell(tr, d.cluster);
      cell(tr, d.id);
      cell(tr, d.address);
      cell(tr, d.active);
      cell(tr, d.passive);
      cell(tr, d.healthy ? 'healthy' : 'unhealthy', d.healthy ? 'healthy' : 'unhealthy');
      cell(tr, String(d.inFlight));
    });

    const t = snapshot.traffic;
    $('minute-requests').textContent = String(t.minuteRequests);
    $('minute-latency').textContent = ms(t.minuteP50) + ' / ' + ms(t.minuteP95) + ' / ' + ms(t.minuteP99);
    $('minute-ratelimited').textContent = String(sum(t.rateLimited));
    $('minute-overloaded').textContent = String(sum(t.overloaded));

    chart('requests', 'req/s', [{ label: 'requests', stroke: '#1565c0', unit: 'req/s' }], [t.seconds, t.requests]);
    chart('errors', 'responses/s', [
      { label: '4xx', stroke: '#ef6c00', unit: '/s' },
      { label: '5xx', stroke: '#c62828', unit: '/s' },
      { label: '429 rate-limited', stroke: '#6a1b9a', unit: '/s' },
      { label: '503 overloaded', stroke: '#455a64', unit: '/s' },
    ], [t.seconds, t.clientErrors, t.serverErrors, t.rateLimited, t.overloaded]);
    chart('latency', 'ms', [
      { label: 'p50', stroke: '#2e7d32', unit: 'ms' },
      { label: 'p95', stroke: '#f9a825', unit: 'ms' },
      { label: 'p99', stroke: '#c62828', unit: 'ms' },
    ], [t.seconds, t.p50, t.p95, t.p99]);

    fill('#routes tbody', snapshot.routes, (tr, r) => {
      cell(tr, r.route);
      cell(tr, String(r.requests));
      cell(tr, String(r.serverErrors));
      cell(tr, ms(r.p95));
    });

    const p = snapshot.process;
    const figures = [
      ['Working set', mib(p.workingSetBytes)],
      ['Managed heap', mib(p.managedHeapBytes)],
      ['GC collections (gen 0/1/2)', p.gen0Collections + ' / ' + p.gen1Collections + ' / ' + p.gen2Collections],
      ['GC pause total', p.gcPauseSeconds.toFixed(3) + ' s'],
      ['Thread-pool threads', String(p.threadPoolThreads)],
      ['Thread-pool queue', p.threadPoolQueueLength + ' work items'],
      ['Processors', String(p.processorCount)],
      ['Uptime', Math.round(p.uptimeSeconds) + ' s'],
    ];
    list('process', figures);

    const pct = (ratio) => (ratio === null || ratio === undefined ? 'no lookups yet' : (ratio * 100).toFixed(1) + ' %');
    const edge = snapshot.caches.edge;
    const levelNames = { memory: 'Services L1 (memory)', distributed: 'Services L2 (Redis)', overall: 'Services overall' };
    list('caches', [
      ['Gateway edge cache', pct(edge.hitRatio)],
      ['Edge hits / misses / stale', edge.hits + ' / ' + edge.misses + ' / ' + edge.stale + ' requests'],
      ['Edge cache size', size(edge.bytes)],
      ...snapshot.caches.services.map((l) => [levelNames[l.level] || l.level, pct(l.hitRatio)]),
    ]);

    const jobs = snapshot.jobs;
    list('jobs', jobs
      ? [['Queued (depth)', jobs.queued + ' jobs'], ['Running', jobs.running + ' jobs'], ['Dead', jobs.dead + ' jobs']]
      : [['Job queue', 'not exported by any service']]);

    // Only while something is missing: an empty card would read as a broken panel.
    $('not-collected-card').hidden = snapshot.notCollected.length === 0;
    $('not-collected').replaceChildren(...snapshot.notCollected.map((text) => {
      const li = document.createElement('li');
      li.textContent = text;
      return li;
    }));
  }

  function list(id, figures) {
    $(id).replaceChildren(...figures.flatMap(([name, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = value;
      return [dt, dd];
    }));
  }

  // A tick's label: the minute on the minute ("13:02"), otherwise its seconds (":15").
  function clock(seconds) {
    const d = new Date(seconds * 1000);
    const two = (n) => String(n).padStart(2, '0');
    return d.getSeconds() === 0 ? two(d.getHours()) + ':' + two(d.getMinutes()) : ':' + two(d.getSeconds());
  }

  function width(container) {
    return Math.max(240, container.clientWidth);
  }

  function chart(name, unit, series, data) {
    const container = $('chart-' + name);
    if (!charts[name]) {
      charts[name] = new uPlot({
        width: width(container),
        height: 200,
        series: [{ label: 'time' }, ...series.map((s) => ({
          label: s.label,
          stroke: s.stroke,
          width: 2,
          spanGaps: false,
          value: (u, v) => (v === null || v === undefined ? '–' : v.toFixed(unit === 'ms' ? 2 : 0) + ' ' + s.unit),
        }))],
        // One line per tick: uPlot's default adds a date row under each minute, and on a phone two of those
        // (a minute's window spans two) run into each other.
        axes: [{ label: 'time (browser clock)', values: (u, splits) => splits.map(clock) }, { label: unit, size: 60 }],
        scales: { y: { range: (u, min, max) => [0, Math.max(1, max)] } },
      }, data, container);
    } else {
      charts[name].setData(data);
    }
  }

  window.addEventListener('resize', () => {
    for (const name of Object.keys(charts)) {
      charts[name].setSize({ width: width($('chart-' + name)), height: 200 });
    }
  });

  document.addEventListener('DOMContentLoaded', () => {
    $('sign-in-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', signOut);
    checkSession();
  });
})();
