/**
 * One app, four pages. Each page is its own chunk: a phone scanning a slip downloads the phone
 * page only, not the hall screen's voice or the booking page's QR code (≤ 60 KB gz per page).
 */
import { render, type VNode } from 'preact';
import { parseRoute, type Route } from './route';
import './styles.css';

const root = document.getElementById('app')!;
const route = parseRoute(location.pathname, location.search);

async function page(r: Route): Promise<VNode> {
  const html = document.documentElement;
  if (r.kind === 'book') {
    document.title = '预约办事 Book an appointment';
    html.classList.add('is-phone');
    const [{ BookingPage }, { BookingContext, createBookingStore }] = await Promise.all([import('./booking-page'), import('./booking-store')]);
    return (
      <BookingContext.Provider value={createBookingStore(r.code)}>
        <BookingPage />
      </BookingContext.Provider>
    );
  }
  if (r.kind === 'ticket') {
    document.title = '我的排队 My ticket';
    html.classList.add('is-phone');
    const [{ TicketPage }, { TicketContext, createTicketStore }] = await Promise.all([import('./ticket-page'), import('./ticket-store')]);
    return (
      <TicketContext.Provider value={createTicketStore(r.ticketId, r.token)}>
        <TicketPage />
      </TicketContext.Provider>
    );
  }
  if (r.kind === 'counter') {
    document.title = '窗口屏 Counter screen';
    html.classList.add('is-counter');
    const [{ CounterScreen }, { CounterScreenContext, createCounterScreenStore }] = await Promise.all([import('./counter-screen'), import('./counter-screen-store')]);
    return (
      <CounterScreenContext.Provider value={createCounterScreenStore(r.counterId, r.token)}>
        <CounterScreen />
      </CounterScreenContext.Provider>
    );
  }
  html.classList.add('is-hall');
  const [{ HallScreen }, { HallContext, createHallStore }] = await Promise.all([import('./hall-screen'), import('./hall-store')]);
  return (
    <HallContext.Provider value={createHallStore(r.token)}>
      <HallScreen forcedLayout={r.layout} />
    </HallContext.Provider>
  );
}

page(route).then(
  (v) => render(v, root),
  () => {
    // A chunk that did not arrive (the hall's Wi-Fi dropped mid-load): say so rather than stay blank.
    root.innerHTML = '<p>页面加载失败，请刷新重试<br />The page did not load: please reload</p>';
  },
);
