import { render } from 'preact';
import { BookingPage } from './booking-page';
import { BookingContext, createBookingStore } from './booking-store';
import { CounterScreen } from './counter-screen';
import { CounterScreenContext, createCounterScreenStore } from './counter-screen-store';
import { HallScreen } from './hall-screen';
import { HallContext, createHallStore } from './hall-store';
import { parseRoute } from './route';
import { TicketPage } from './ticket-page';
import { TicketContext, createTicketStore } from './ticket-store';
import './styles.css';

const root = document.getElementById('app')!;
const route = parseRoute(location.pathname, location.search);

if (route.kind === 'book') {
  document.title = '预约办事 Book an appointment';
  document.documentElement.classList.add('is-phone');
  render(
    <BookingContext.Provider value={createBookingStore(route.code)}>
      <BookingPage />
    </BookingContext.Provider>,
    root,
  );
} else if (route.kind === 'ticket') {
  document.title = '我的排队 My ticket';
  document.documentElement.classList.add('is-phone');
  render(
    <TicketContext.Provider value={createTicketStore(route.ticketId, route.token)}>
      <TicketPage />
    </TicketContext.Provider>,
    root,
  );
} else if (route.kind === 'counter') {
  document.title = '窗口屏 Counter screen';
  document.documentElement.classList.add('is-counter');
  render(
    <CounterScreenContext.Provider value={createCounterScreenStore(route.counterId, route.token)}>
      <CounterScreen />
    </CounterScreenContext.Provider>,
    root,
  );
} else {
  document.documentElement.classList.add('is-hall');
  render(
    <HallContext.Provider value={createHallStore(route.token)}>
      <HallScreen forcedLayout={route.layout} />
    </HallContext.Provider>,
    root,
  );
}
