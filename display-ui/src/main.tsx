import { render } from 'preact';
import { HallScreen } from './hall-screen';
import { HallContext, createHallStore } from './hall-store';
import { parseRoute } from './route';
import { TicketPage } from './ticket-page';
import { TicketContext, createTicketStore } from './ticket-store';
import './styles.css';

const root = document.getElementById('app')!;
const route = parseRoute(location.pathname, location.search);

if (route.kind === 'ticket') {
  document.title = '我的排队 My ticket';
  document.documentElement.classList.add('is-phone');
  render(
    <TicketContext.Provider value={createTicketStore(route.ticketId, route.token)}>
      <TicketPage />
    </TicketContext.Provider>,
    root,
  );
} else {
  document.documentElement.classList.add('is-hall');
  render(
    <HallContext.Provider value={createHallStore(route.token)}>
      <HallScreen />
    </HallContext.Provider>,
    root,
  );
}
